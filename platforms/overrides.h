// `--set KEY=VALUE` overrides of a platform file, applied to its YAML tree
// before it is read (so every override is checked exactly as the file is).
// KEY is a dotted path; a list element is addressed by its `name` (or `id`)
// or by its index: `iommus.smmu0.iotlb.entries`, `devices.nic0.traffic.size`,
// `pci.expanders.0.bypass_iommu`. Missing maps on the way are created; VALUE
// is a YAML scalar, or a flow list / map when it starts with `[` or `{`.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace iommusim {

struct Override {
    std::string key;
    std::string value;
};

// Parses "KEY=VALUE"; false (with `err`) when there is no '=' or no KEY.
bool parse_override(const std::string& text, Override& out, std::string& err);

// Applies the overrides in order. Throws ConfigError (file, the key) when a
// path runs into a scalar or names a list element that does not exist.
void apply_overrides(YAML::Node root, const std::vector<Override>& overrides, const std::string& file);

}  // namespace iommusim
