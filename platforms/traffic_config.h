// The `traffic:` section of a device (schema: docs/traffic.md).
#pragma once

#include <cstdint>

#include "platforms/yaml_reader.h"
#include "traffic/dma_generator.h"

namespace iommusim {

// Reads `t` into a generator's parameters for a device whose buffer is
// `buffer_size` bytes. Keys of another pattern are refused (nothing is
// silently ignored); parameters that cannot work are located errors.
GeneratorParams read_traffic(YamlMap& t, uint64_t buffer_size);

}  // namespace iommusim
