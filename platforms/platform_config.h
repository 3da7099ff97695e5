// The platform description read from YAML (schema: docs/platforms.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "models/common/requester_id.h"
#include "models/common/tlm/memory.h"
#include "models/pci/topology.h"
#include "models/smmuv3/smmuv3_driver.h"
#include "models/smmuv3/smmuv3_params.h"
#include "platforms/overrides.h"
#include "traffic/dma_generator.h"

namespace iommusim {

struct IommuConfig {
    std::string name;
    std::string type;  // smmuv3 | vtd | amdvi
    bool modelled = true;  // false: only firmware tables and the audit's static part (no model yet)
    uint16_t segment = 0;
    uint64_t base = 0;  // register base address (firmware tables)
    RequesterId rid;    // amdvi: the IOMMU's own PCI function
    smmuv3::Smmuv3Params smmu;
    smmuv3::DriverParams driver;
    // iotlb.cosim: rtl — every IOTLB operation is replayed on a verilated
    // RTL IOTLB and compared (docs/rtl-cosim.md).
    struct Cosim {
        bool enabled = false;
        std::string top = "iommusim_iotlb";  // iotlb.cosim_top
        std::string variant = "reference";   // iotlb.cosim_variant (test-only: the mutants)
        std::string trace;                   // iotlb.cosim_trace: VCD file, relative to --out ("" = none)
    } cosim;
    // setup: captured — no host-software helper: the registers are written
    // in this order at time 0, as a driver's last writes left them, and the
    // tables are whatever memory.preload put in memory.
    bool captured = false;
    struct RegWrite {
        std::string name;  // as given (a register name or the offset in hex)
        uint32_t offset = 0;
        unsigned bytes = 4;
        uint64_t value = 0;
    };
    std::vector<RegWrite> registers;
};

// memory.preload: raw bytes put at a physical address before time 0.
struct Preload {
    std::string file;  // resolved path
    uint64_t address = 0;
    uint64_t size = 0;  // the file's size
};

struct DeviceConfig {
    std::string name;
    RequesterId rid;
    uint16_t segment = 0;
    // Routing, from the firmware view (not from YAML):
    int iommu = -1;               // index into PlatformConfig::iommus, -1 = reaches memory directly
    bool bridge_bypass = false;   // its host bridge has bypass_iommu
    uint32_t stream_id = 0;       // StreamID the IOMMU sees
    std::string translation;  // s1 | s2 | nested | bypass (the STE the host driver writes)
    std::string granule;      // 4k | 16k | 64k
    uint64_t page_size = 4096;
    unsigned ias_bits = 48;
    uint64_t iova = 0;
    uint64_t buffer_size = 0;
    GeneratorParams traffic;
};

struct PlatformConfig {
    std::string file;
    std::string name = "platform";
    double quantum_ns = 1000;
    bool unsafe_noiommu = false;
    MemoryParams memory;
    std::vector<Preload> preload;
    uint64_t alloc_base = 0;
    uint64_t alloc_size = 0;
    std::vector<IommuConfig> iommus;
    std::vector<DeviceConfig> devices;
    pci::Topology topology;
    pci::FirmwareView firmware;   // one source of truth for tables and routing
    std::vector<std::string> warnings;  // file:line:column: message
    YAML::Node resolved;  // every key with the value used (defaults included)
};

// Throws ConfigError (file:line:column, key) on any problem.
// Reads `path`, after applying `overrides` (--set) to its YAML tree.
PlatformConfig load_platform_config(const std::string& path, const std::vector<Override>& overrides = {});

}  // namespace iommusim
