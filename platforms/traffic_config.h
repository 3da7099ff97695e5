// The `traffic:` section of a device (schema: docs/traffic.md).
#pragma once

#include <cstdint>
#include <string>

#include "platforms/yaml_reader.h"
#include "traffic/dma_generator.h"

namespace iommusim {

// Reads `t` into a generator's parameters for a device whose buffer is
// `buffer_size` bytes; files it names (trace) are relative to `config_dir`;
// `granule`: the device's translation granule in bytes (ring and storage
// lay their buffers out in it). Keys of another pattern are refused (nothing
// is silently ignored); parameters that cannot work are located errors.
GeneratorParams read_traffic(YamlMap& t, uint64_t buffer_size, const std::string& config_dir,
                             uint64_t granule = 4096);

}  // namespace iommusim
