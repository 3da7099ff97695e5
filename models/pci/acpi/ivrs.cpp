#include "models/pci/acpi/ivrs.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

#include "models/pci/acpi/acpi_table.h"

namespace iommusim::pci::acpi {

namespace {

using namespace ivrs;

constexpr unsigned kBusShift = 8;
constexpr uint16_t kLastDevfn = 0xff;  // device 1fh, function 7
constexpr uint8_t kIvhdFlagsValue = kIvhdFlagHtTunEn | kIvhdFlagIotlbSup;
constexpr uint16_t kIommuInfo = 0;     // MSI number 0, UnitID 0
constexpr uint32_t kFeatures = 0;      // nothing reported
constexpr uint8_t kDteSetting = 0;     // no INIT/NMI/LINT pass-through bits
constexpr uint16_t kAllDeviceId = 0;   // reserved in an ALL entry

struct Entry {
    EntryType type;
    uint16_t device_id;
};

uint16_t bdf(unsigned bus, unsigned devfn) { return static_cast<uint16_t>((bus << kBusShift) | devfn); }

void write_entry(ByteWriter& w, const Entry& e) {
    const size_t at = w.size();
    w.at(at + kEntryType).u8(e.type);
    w.at(at + kEntryDeviceId).u16(e.device_id);
    w.at(at + kEntryData).u8(kDteSetting);
}

// Entries for one host bridge's bus range that this IOMMU translates.
void entries_for_range(const FirmwareView& v, const FwBusRange& r, std::vector<Entry>& out) {
    std::set<uint16_t> on_root;
    for (const FwDevice& d : v.devices)
        if (d.segment == r.segment && (d.rid >> kBusShift) == r.bus_first) on_root.insert(d.rid);
    for (uint16_t rid : on_root) out.push_back(Entry{kEntrySelect, rid});
    if (r.bus_last > r.bus_first) {
        out.push_back(Entry{kEntryStartRange, bdf(r.bus_first + 1u, 0)});
        out.push_back(Entry{kEntryEndRange, bdf(r.bus_last, kLastDevfn)});
    }
}

}  // namespace

std::vector<uint8_t> build_ivrs(const FirmwareView& view) {
    for (const FwBusRange& r : view.bus_ranges)
        if (r.iommu >= 0 && static_cast<size_t>(r.iommu) >= view.iommus.size())
            throw std::invalid_argument("IVRS: bus range of '" + r.bridge + "' names IOMMU " +
                                        std::to_string(r.iommu) + ", which does not exist");

    AcpiTable t(header_for(view, "IVRS", kTableRevision));
    ByteWriter& w = t.w();
    const uint32_t pa_size = std::min<uint32_t>(view.host_address_width, kInfoSizeMask);
    w.at(kIvInfo).u32(pa_size << kInfoPaSizeShift);
    w.at(kReserved).u64(0);
    w.at(kBlocksStart);

    for (size_t i = 0; i < view.iommus.size(); ++i) {
        const FwIommu& u = view.iommus[i];
        if (u.kind != IommuKind::AMDVi) continue;
        const std::vector<const FwBusRange*> ranges = segment_bus_ranges(view, u.segment);
        const auto mine = [&](const FwBusRange* r) { return r->iommu == static_cast<int>(i) && !r->bypass; };
        std::vector<Entry> entries;
        if (!ranges.empty() && std::all_of(ranges.begin(), ranges.end(), mine)) {
            entries.push_back(Entry{kEntryAll, kAllDeviceId});
        } else {
            for (const FwBusRange* r : ranges)
                if (mine(r)) entries_for_range(view, *r, entries);
        }

        const size_t at = w.size();
        w.at(at + kIvhdType).u8(kIvhdType10);
        w.at(at + kIvhdFlags).u8(kIvhdFlagsValue);
        w.at(at + kIvhdLength).placeholder_u16();
        w.at(at + kIvhdDeviceId).u16(u.rid);
        w.at(at + kIvhdCapOffset).u16(kDefaultCapabilityOffset);
        w.at(at + kIvhdBase).u64(u.base);
        w.at(at + kIvhdSegment).u16(u.segment);
        w.at(at + kIvhdInfo).u16(kIommuInfo);
        w.at(at + kIvhdFeatures).u32(kFeatures);
        w.at(at + kIvhd10Size);
        for (const Entry& e : entries) write_entry(w, e);
        w.patch_u16(at + kIvhdLength, checked<uint16_t>(w.size() - at, "IVHD length"));
    }

    return t.finalize();
}

}  // namespace iommusim::pci::acpi
