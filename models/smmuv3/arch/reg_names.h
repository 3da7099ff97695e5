// SMMUv3 register names (IHI 0070, chapter 6) -> offset and width, for
// configurations that set registers by name (a captured system's register
// state). Names as the specification gives them, with or without the
// "SMMU_" prefix. Plain C++.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace iommusim::smmuv3 {

struct RegisterName {
    const char* name;  // without "SMMU_"
    uint32_t offset;
    unsigned bytes;    // 4 or 8
};

// The register called `name` (case-sensitive, "SMMU_" optional), or nullptr.
const RegisterName* find_register(const std::string& name);
// Every named register, in offset order.
const std::vector<RegisterName>& register_names();

}  // namespace iommusim::smmuv3
