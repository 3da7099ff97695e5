#include "models/pci/acpi/dmar.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

#include "models/pci/acpi/acpi_table.h"

namespace iommusim::pci::acpi {

namespace {

using namespace dmar;

// PCI requester ID / devfn fields.
constexpr unsigned kBusShift = 8;
constexpr unsigned kDevShift = 3;
constexpr unsigned kFnMask = 0x7;
constexpr unsigned kDevfnMask = 0xff;
constexpr unsigned kDevsPerBus = 32;
// DRHD Size field: 2^0 = one 4 KiB page of registers (QEMU's VT-d).
constexpr uint8_t kRegisterPagesLog2 = 0;
// The FirmwareView describes no IOAPIC / interrupt remapping.
constexpr uint8_t kDmarFlags = 0;
// Host Address Width is a u8 holding width - 1.
constexpr unsigned kMaxAddressWidth = 0x100;
// Enumeration ID is meaningful only for IOAPIC / HPET / ACPI namespace scopes.
constexpr uint8_t kNoEnumId = 0;

struct Scope {
    ScopeType type;
    uint8_t start_bus;
    uint8_t devfn;
};

// The scopes for one translated host bridge (bus range), see dmar.h.
void scopes_for_range(const FirmwareView& v, const FwBusRange& r, std::vector<Scope>& out) {
    std::map<uint8_t, ScopeType> by_devfn;  // function on the root bus -> scope type
    for (const FwDevice& d : v.devices) {
        const unsigned bus = d.rid >> kBusShift;
        if (d.segment != r.segment || bus < r.bus_first || bus > r.bus_last) continue;
        if (bus == r.bus_first) {
            by_devfn.emplace(static_cast<uint8_t>(d.rid & kDevfnMask), kScopeEndpoint);  // a port wins, see below
        } else {
            // Assumed downstream port k on the root bus owns secondary bus R+1+k.
            const unsigned k = bus - r.bus_first - 1u;
            const uint8_t port = static_cast<uint8_t>(((k % kDevsPerBus) << kDevShift) | (k / kDevsPerBus));
            by_devfn[port] = kScopeSubHierarchy;
        }
    }
    for (const auto& [devfn, type] : by_devfn) out.push_back(Scope{type, r.bus_first, devfn});
}

void write_scope(ByteWriter& w, const Scope& s) {
    const size_t at = w.size();
    w.at(at + kScopeType).u8(s.type);
    w.at(at + kScopeLength).u8(static_cast<uint8_t>(kScopePath + kScopePathEntry));
    w.at(at + kScopeReserved).u16(0);
    w.at(at + kScopeEnumId).u8(kNoEnumId);
    w.at(at + kScopeStartBus).u8(s.start_bus);
    w.at(at + kScopePath + kPathDevice).u8(static_cast<uint8_t>(s.devfn >> kDevShift));
    w.at(at + kScopePath + kPathFunction).u8(static_cast<uint8_t>(s.devfn & kFnMask));
}

void write_drhd(ByteWriter& w, const FwIommu& unit, bool include_all, const std::vector<Scope>& scopes) {
    const size_t at = w.size();
    w.at(at + kStructType).u16(kDrhd);
    w.at(at + kStructLength).placeholder_u16();
    w.at(at + kDrhdFlags).u8(include_all ? kDrhdIncludePciAll : 0);
    w.at(at + kDrhdSize).u8(kRegisterPagesLog2);
    w.at(at + kDrhdSegment).u16(unit.segment);
    w.at(at + kDrhdBase).u64(unit.base);
    w.at(at + kDrhdScopes);
    for (const Scope& s : scopes) write_scope(w, s);
    w.patch_u16(at + kStructLength, checked<uint16_t>(w.size() - at, "DRHD length"));
}

}  // namespace

std::vector<uint8_t> build_dmar(const FirmwareView& view) {
    for (const FwBusRange& r : view.bus_ranges)
        if (r.iommu >= 0 && static_cast<size_t>(r.iommu) >= view.iommus.size())
            throw std::invalid_argument("DMAR: bus range of '" + r.bridge + "' names IOMMU " +
                                        std::to_string(r.iommu) + ", which does not exist");
    if (view.host_address_width == 0 || view.host_address_width > kMaxAddressWidth)
        throw std::invalid_argument("DMAR: host address width out of range");

    AcpiTable t(header_for(view, "DMAR", kTableRevision));
    ByteWriter& w = t.w();
    w.at(kHostAddressWidth).u8(static_cast<uint8_t>(view.host_address_width - 1));
    w.at(kFlags).u8(kDmarFlags);
    w.at(kReserved).zeros(kReservedLen);
    w.at(kStructuresStart);

    struct Unit {
        size_t index;
        bool include_all;
        std::vector<Scope> scopes;
    };
    std::vector<Unit> units;
    for (size_t i = 0; i < view.iommus.size(); ++i) {
        const FwIommu& u = view.iommus[i];
        if (u.kind != IommuKind::VTd) continue;
        const std::vector<const FwBusRange*> ranges = segment_bus_ranges(view, u.segment);
        const auto mine = [&](const FwBusRange* r) { return r->iommu == static_cast<int>(i) && !r->bypass; };
        Unit unit{i, !ranges.empty() && std::all_of(ranges.begin(), ranges.end(), mine), {}};
        if (!unit.include_all)
            for (const FwBusRange* r : ranges)
                if (mine(r)) scopes_for_range(view, *r, unit.scopes);
        units.push_back(std::move(unit));
    }
    // INCLUDE_PCI_ALL units after the others (VT-d 8.3).
    std::stable_partition(units.begin(), units.end(), [](const Unit& u) { return !u.include_all; });
    for (const Unit& u : units) write_drhd(w, view.iommus[u.index], u.include_all, u.scopes);

    return t.finalize();
}

}  // namespace iommusim::pci::acpi
