#include "models/pci/acpi/iort.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

#include "models/pci/acpi/acpi_table.h"

namespace iommusim::pci::acpi {

namespace {

using namespace iort;

// QEMU maps the whole 16-bit StreamID space of its SMMUv3 to the ITS.
constexpr uint64_t kSmmuIdSpace = 0x10000;
// Memory address size limit is a u8 number of address bits.
constexpr unsigned kMaxAddressBits = 64;
// The ITS group lists exactly one ITS (FirmwareView::its_id).
constexpr uint32_t kItsPerGroup = 1;
// Fields the model does not describe: written as zero.
constexpr uint32_t kNone = 0;
// ID mapping flags: a range, not a single mapping.
constexpr uint32_t kMapFlagsRange = 0;
// The SMMUv3 -> ITS mapping starts at StreamID 0 = DeviceID 0.
constexpr uint32_t kSmmuIdBase = 0;

// A node being written: its offset and the header fields patched later.
struct Node {
    size_t offset;
};

Node begin_node(ByteWriter& w, NodeType type, uint8_t revision, uint32_t identifier) {
    const Node n{w.size()};
    w.at(n.offset + kNodeType).u8(type);
    w.at(n.offset + kNodeLength).placeholder_u16();
    w.at(n.offset + kNodeRevision).u8(revision);
    w.at(n.offset + kNodeIdentifier).u32(identifier);
    w.at(n.offset + kNodeMappingCount).placeholder_u32();
    w.at(n.offset + kNodeMappingOffset).placeholder_u32();
    return n;
}

void set_mappings(ByteWriter& w, const Node& n, size_t count, size_t first_mapping_at) {
    w.patch_u32(n.offset + kNodeMappingCount, checked<uint32_t>(count, "IORT mapping count"));
    w.patch_u32(n.offset + kNodeMappingOffset,
                count ? checked<uint32_t>(first_mapping_at - n.offset, "IORT mapping offset") : 0);
}

void end_node(ByteWriter& w, const Node& n) {
    w.patch_u16(n.offset + kNodeLength, checked<uint16_t>(w.size() - n.offset, "IORT node length"));
}

void id_mapping(ByteWriter& w, uint32_t input_base, uint64_t count, uint32_t output_base, uint32_t output_ref,
                uint32_t flags) {
    if (count == 0) throw std::invalid_argument("IORT: an ID mapping with no IDs");
    const size_t m = w.size();
    w.at(m + kMapInputBase).u32(input_base);
    w.at(m + kMapIdCount).u32(checked<uint32_t>(count - 1, "IORT number of IDs"));  // spec: count - 1
    w.at(m + kMapOutputBase).u32(output_base);
    w.at(m + kMapOutputRef).u32(output_ref);
    w.at(m + kMapFlags).u32(flags);
}

}  // namespace

std::vector<uint8_t> build_iort(const FirmwareView& view) {
    AcpiTable t(header_for(view, "IORT", kTableRevision));
    ByteWriter& w = t.w();

    // Which IOMMUs get an SMMUv3 node, and which segments a root complex node.
    std::vector<int> smmus;
    for (size_t i = 0; i < view.iommus.size(); ++i)
        if (view.iommus[i].kind == IommuKind::SMMUv3) smmus.push_back(static_cast<int>(i));
    std::map<uint16_t, std::vector<const FwIdMapping*>> segments;
    for (const FwBusRange& r : view.bus_ranges) segments[r.segment];
    for (const FwIdMapping& m : view.id_mappings) {
        if (m.iommu >= 0) {
            if (static_cast<size_t>(m.iommu) >= view.iommus.size())
                throw std::invalid_argument("IORT: ID mapping names IOMMU " + std::to_string(m.iommu) +
                                            ", which does not exist");
            const FwIommu& target = view.iommus[static_cast<size_t>(m.iommu)];
            if (target.kind != IommuKind::SMMUv3)
                throw std::invalid_argument("IORT: ID mapping points at '" + target.name + "', not an SMMUv3");
        }
        if (m.count == 0) throw std::invalid_argument("IORT: an ID mapping with no IDs");
        auto it = segments.find(m.segment);
        if (it != segments.end()) it->second.push_back(&m);
    }
    for (auto& entry : segments)
        std::stable_sort(entry.second.begin(), entry.second.end(),
                         [](const FwIdMapping* a, const FwIdMapping* b) { return a->rid_base < b->rid_base; });

    w.at(kNodeCount).u32(checked<uint32_t>(1 + smmus.size() + segments.size(), "IORT node count"));
    w.at(kNodeArrayOffset).u32(kNodesStart);
    w.at(kReserved).u32(0);

    uint32_t identifier = 0;

    // ITS group: the one ITS every MSI ends at.
    w.at(kNodesStart);
    const Node its = begin_node(w, kItsGroup, kItsRevision, identifier++);
    set_mappings(w, its, 0, 0);
    w.at(its.offset + kItsCount).u32(kItsPerGroup);
    w.at(its.offset + kItsIds).u32(view.its_id);
    end_node(w, its);
    const uint32_t its_ref = checked<uint32_t>(its.offset, "ITS node offset");

    // SMMUv3 nodes.
    std::map<int, uint32_t> smmu_ref;  // iommu index -> node offset
    for (int idx : smmus) {
        const FwIommu& s = view.iommus[static_cast<size_t>(idx)];
        const Node n = begin_node(w, kSmmuV3, kSmmuV3Revision, identifier++);
        smmu_ref[idx] = checked<uint32_t>(n.offset, "SMMUv3 node offset");
        w.at(n.offset + kSmmuBase).u64(s.base);
        w.at(n.offset + kSmmuFlags).u32(kSmmuFlagCohaccOverride);  // as QEMU: coherent table walks
        w.at(n.offset + kSmmuReserved).u32(0);
        w.at(n.offset + kSmmuVatos).u64(kNone);  // no VATOS
        w.at(n.offset + kSmmuModel).u32(kSmmuModelGeneric);
        // The SMMU's own interrupts: the FirmwareView has no GSIVs, so none.
        w.at(n.offset + kSmmuEventGsiv).u32(kNone);
        w.at(n.offset + kSmmuPriGsiv).u32(kNone);
        w.at(n.offset + kSmmuGerrGsiv).u32(kNone);
        w.at(n.offset + kSmmuSyncGsiv).u32(kNone);
        w.at(n.offset + kSmmuProximity).u32(kNone);      // flag clear
        w.at(n.offset + kSmmuDeviceIdIndex).u32(kNone);  // flag clear: no MSI mapping of its own
        // Its StreamIDs, identity, to the ITS: the whole 16-bit space as QEMU
        // does, widened if a mapping hands out StreamIDs above it.
        uint64_t span = kSmmuIdSpace;
        for (const FwIdMapping& m : view.id_mappings)
            if (m.iommu == idx) span = std::max<uint64_t>(span, uint64_t{m.output_base} + m.count);
        const size_t first = w.at(n.offset + kSmmuV3Size).size();
        id_mapping(w, kSmmuIdBase, span, kSmmuIdBase, its_ref, kMapFlagsRange);
        set_mappings(w, n, 1, first);
        end_node(w, n);
    }

    // Root complex nodes, one per PCI segment.
    for (const auto& [seg, maps] : segments) {
        const Node n = begin_node(w, kRootComplex, kRcRevision, identifier++);
        w.at(n.offset + kRcCca).u32(kCcaCoherent);
        w.at(n.offset + kRcAllocHints).u8(kNone);
        w.at(n.offset + kRcMapReserved).u16(0);
        w.at(n.offset + kRcMemFlags).u8(kMemFlagCpm | kMemFlagDacs);  // as QEMU
        w.at(n.offset + kRcAts).u32(kNone);                           // ATS not supported
        w.at(n.offset + kRcSegment).u32(seg);
        w.at(n.offset + kRcMemAddrLimit).u8(static_cast<uint8_t>(std::min(view.host_address_width, kMaxAddressBits)));
        w.at(n.offset + kRcReserved).zeros(kRcReservedLen);
        const size_t first = w.at(n.offset + kRcSize).size();
        for (const FwIdMapping* m : maps) {
            const uint32_t ref = m->iommu >= 0 ? smmu_ref.at(m->iommu) : its_ref;
            id_mapping(w, m->rid_base, m->count, m->output_base, ref, kMapFlagsRange);
        }
        set_mappings(w, n, maps.size(), first);
        end_node(w, n);
    }

    return t.finalize();
}

}  // namespace iommusim::pci::acpi
