// PCI topology: host bridges (the default one and pxb-pcie expanders) with
// their bus ranges and bypass_iommu property, devices on buses, and the
// IOMMUs. validate() applies QEMU's rules; build_firmware_view() derives the
// one FirmwareView that both the ACPI tables and the simulator's routing use.
// Plain C++.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/common/requester_id.h"
#include "models/pci/firmware_view.h"

namespace iommusim::pci {

enum class Machine : uint8_t { Q35, Virt, Generic };
const char* machine_name(Machine);
bool parse_machine(const std::string& s, Machine& out);

struct HostBridge {
    std::string id;              // "pcie.0" for the default bridge, else the pxb id
    bool is_default = false;     // the machine's own host bridge (bus 0)
    uint16_t segment = 0;
    uint8_t bus_nr = 0;          // root bus number
    unsigned bus_count = 0;      // buses it owns; 0 = up to the next bridge's bus_nr (or 0xff)
    bool bypass_iommu = false;   // pxb-pcie,bypass_iommu= (default bridge: the machine option)
    std::string iommu;           // IOMMU serving it; empty = the first IOMMU of its segment
    int64_t stream_id_base = -1; // output ID (StreamID / DeviceID) of its first RID; -1 = the RID itself
};

struct PciDevice {
    std::string name;
    uint16_t segment = 0;
    RequesterId rid;
};

struct TopologyIommu {
    std::string name;
    IommuKind kind = IommuKind::SMMUv3;
    uint16_t segment = 0;
    uint64_t base = 0;
    uint16_t rid = 0;
};

struct Topology {
    Machine machine = Machine::Generic;
    bool default_bus_bypass_iommu = false;  // machine option (q35 and virt only)
    std::vector<HostBridge> bridges;        // the default bridge included
    std::vector<PciDevice> devices;
    std::vector<TopologyIommu> iommus;
};

// A problem found by validate(), pointing at what the YAML layer must locate.
struct TopologyIssue {
    enum class Severity : uint8_t { Error, Warning } severity = Severity::Error;
    enum class Where : uint8_t { Machine, Bridge, Device } where = Where::Machine;
    size_t index = 0;    // bridge or device index
    std::string key;     // e.g. "bus_nr", "bdf", "default_bus_bypass_iommu"
    std::string message;
};

// Bus range [first, last] a bridge owns after applying defaults.
struct BusRange {
    uint8_t first = 0, last = 0;
};
std::vector<BusRange> bus_ranges(const Topology&);

std::vector<TopologyIssue> validate(const Topology&);

// Requires validate() to have returned no errors.
FirmwareView build_firmware_view(const Topology&);

// Routing, from the firmware view: the IOMMU index translating `rid` on
// `segment` (-1: none), whether its bridge bypasses, and the StreamID /
// DeviceID the IOMMU sees (through the ID mapping).
struct Route {
    int iommu = -1;
    bool bypass = false;
    bool on_bus = false;  // a host bridge owns the bus
    uint32_t stream_id = 0;
};
Route route(const FirmwareView&, uint16_t segment, uint16_t rid);

}  // namespace iommusim::pci
