// PCI topology: QEMU's bypass_iommu semantics, validation, bus ranges and
// the firmware view / routing derived from them.
#define BOOST_TEST_MODULE pci_topology
#include <boost/test/unit_test.hpp>

#include "models/pci/topology.h"

using namespace iommusim;
using namespace iommusim::pci;

namespace {

// The virt example: default bus 0, pxb bus_nr 0x10, pxb bus_nr 0x20, one device on each.
Topology virt(bool default_bypass, bool pxb1_bypass, bool pxb2_bypass, bool with_iommu) {
    Topology t;
    t.machine = Machine::Virt;
    t.default_bus_bypass_iommu = default_bypass;
    t.bridges.push_back(HostBridge{"pcie.0", true, 0, 0x00, 0, false, ""});
    t.bridges.push_back(HostBridge{"pxb1", false, 0, 0x10, 0, pxb1_bypass, ""});
    t.bridges.push_back(HostBridge{"pxb2", false, 0, 0x20, 0, pxb2_bypass, ""});
    t.devices.push_back(PciDevice{"d0", 0, RequesterId::make(0x00, 1, 0)});
    t.devices.push_back(PciDevice{"d1", 0, RequesterId::make(0x11, 0, 0)});
    t.devices.push_back(PciDevice{"d2", 0, RequesterId::make(0x21, 0, 0)});
    if (with_iommu) t.iommus.push_back(TopologyIommu{"smmu0", IommuKind::SMMUv3, 0, 0x09050000, 0});
    return t;
}

bool has_error(const std::vector<TopologyIssue>& v, const std::string& key) {
    for (const auto& i : v)
        if (i.severity == TopologyIssue::Severity::Error && i.key == key) return true;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(bus_ranges_follow_next_bridge) {
    const auto r = bus_ranges(virt(false, false, false, true));
    BOOST_TEST(r[0].first == 0x00);
    BOOST_TEST(r[0].last == 0x0f);
    BOOST_TEST(r[1].first == 0x10);
    BOOST_TEST(r[1].last == 0x1f);
    BOOST_TEST(r[2].first == 0x20);
    BOOST_TEST(r[2].last == 0xff);
}

BOOST_AUTO_TEST_CASE(routing_for_every_bypass_combination) {
    for (int mask = 0; mask < 16; ++mask) {
        const bool dflt = mask & 1, p1 = mask & 2, p2 = mask & 4, iommu = mask & 8;
        const Topology t = virt(dflt, p1, p2, iommu);
        BOOST_TEST(!has_error(validate(t), "default_bus_bypass_iommu"));
        const FirmwareView v = build_firmware_view(t);
        const bool bypass[3] = {dflt, p1, p2};
        for (int d = 0; d < 3; ++d) {
            const FwDevice& fd = v.devices[d];
            // Unset = translated; bypass only matters when an IOMMU exists.
            const bool expect_translated = iommu && !bypass[d];
            BOOST_TEST((fd.iommu == (expect_translated ? 0 : -1)), "mask " << mask << " device " << d);
            BOOST_TEST(fd.bypass == (iommu && bypass[d]), "mask " << mask << " device " << d);
        }
    }
}

BOOST_AUTO_TEST_CASE(bypass_without_iommu_is_a_warning) {
    const auto issues = validate(virt(true, true, false, false));
    size_t warnings = 0;
    for (const auto& i : issues) {
        BOOST_TEST((i.severity == TopologyIssue::Severity::Warning));
        warnings++;
    }
    BOOST_TEST(warnings == 2u);
}

BOOST_AUTO_TEST_CASE(default_bus_bypass_only_on_q35_and_virt) {
    Topology t = virt(true, false, false, true);
    t.machine = Machine::Q35;
    BOOST_TEST(!has_error(validate(t), "default_bus_bypass_iommu"));
    t.machine = Machine::Generic;
    const auto issues = validate(t);
    BOOST_TEST(has_error(issues, "default_bus_bypass_iommu"));
    BOOST_TEST(issues[0].message.find("generic") != std::string::npos);
    t.default_bus_bypass_iommu = false;
    BOOST_TEST(!has_error(validate(t), "default_bus_bypass_iommu"));
}

BOOST_AUTO_TEST_CASE(overlapping_ranges_rejected) {
    Topology t = virt(false, false, false, true);
    t.bridges[1].bus_count = 0x20;  // 0x10-0x2f overlaps pxb2 at 0x20
    const auto issues = validate(t);
    BOOST_TEST(has_error(issues, "bus_nr"));
    Topology u = virt(false, false, false, true);
    u.bridges[2].bus_nr = 0x10;  // same root bus as pxb1
    BOOST_TEST(has_error(validate(u), "bus_nr"));
}

BOOST_AUTO_TEST_CASE(duplicate_address_and_missing_bus_rejected) {
    Topology t = virt(false, false, false, true);
    t.devices.push_back(PciDevice{"dup", 0, RequesterId::make(0x11, 0, 0)});
    auto issues = validate(t);
    BOOST_TEST(has_error(issues, "bdf"));
    BOOST_TEST(issues.back().index == 3u);
    Topology u = virt(false, false, false, true);
    u.bridges[2].bus_count = 4;  // pxb2 owns 0x20-0x23 only
    u.devices.push_back(PciDevice{"lost", 0, RequesterId::make(0x30, 0, 0)});
    issues = validate(u);
    BOOST_TEST(has_error(issues, "bdf"));
    BOOST_TEST(issues.back().message.find("bus 30") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(id_mappings_cover_every_range_with_identity_output) {
    const FirmwareView v = build_firmware_view(virt(true, false, true, true));
    BOOST_TEST_REQUIRE(v.id_mappings.size() == 3u);
    BOOST_TEST(v.id_mappings[0].rid_base == 0x0000);
    BOOST_TEST(v.id_mappings[0].count == 0x1000u);
    BOOST_TEST(v.id_mappings[0].iommu == -1);  // default bus bypasses: to the ITS
    BOOST_TEST(v.id_mappings[1].rid_base == 0x1000);
    BOOST_TEST(v.id_mappings[1].count == 0x1000u);
    BOOST_TEST(v.id_mappings[1].iommu == 0);
    BOOST_TEST(v.id_mappings[1].output_base == 0x1000u);
    BOOST_TEST(v.id_mappings[2].rid_base == 0x2000);
    BOOST_TEST(v.id_mappings[2].count == 0xe000u);  // 0x20-0xff
    BOOST_TEST(v.id_mappings[2].iommu == -1);
    const Route r = route(v, 0, RequesterId::make(0x11, 0, 0).value);
    BOOST_TEST(r.iommu == 0);
    BOOST_TEST(r.stream_id == 0x1100u);
}

BOOST_AUTO_TEST_CASE(bridges_can_name_their_iommu) {
    Topology t = virt(false, false, false, true);
    t.iommus.push_back(TopologyIommu{"smmu1", IommuKind::SMMUv3, 0, 0x09060000, 0});
    t.bridges[2].iommu = "smmu1";
    const FirmwareView v = build_firmware_view(t);
    BOOST_TEST(v.devices[1].iommu == 0);
    BOOST_TEST(v.devices[2].iommu == 1);
    t.bridges[2].iommu = "smmu9";
    BOOST_TEST(has_error(validate(t), "iommu"));
}

BOOST_AUTO_TEST_CASE(segments_are_separate_rid_spaces) {
    Topology t = virt(false, false, false, true);
    t.bridges.push_back(HostBridge{"seg1", false, 1, 0x00, 0, false, ""});
    t.iommus.push_back(TopologyIommu{"dmar1", IommuKind::VTd, 1, 0xfed91000, 0});
    t.devices.push_back(PciDevice{"e0", 1, RequesterId::make(0x00, 1, 0)});  // same bdf as d0, other segment
    BOOST_TEST(validate(t).empty());
    const FirmwareView v = build_firmware_view(t);
    BOOST_TEST(v.devices[0].iommu == 0);
    BOOST_TEST(v.devices[3].iommu == 1);
}

// IORT ID mappings may apply an offset: a bridge's stream_id_base becomes its
// mapping's output base, and routing applies it (StreamID = base + RID - first RID).
BOOST_AUTO_TEST_CASE(stream_id_base_offsets_the_id_mapping_and_routing) {
    Topology t = virt(false, false, false, true);
    t.bridges[1].stream_id_base = 0x40000;
    const FirmwareView v = build_firmware_view(t);
    BOOST_TEST_REQUIRE(v.id_mappings.size() == 3u);
    BOOST_TEST(v.id_mappings[0].output_base == 0x0000u);  // unset: identity
    BOOST_TEST(v.id_mappings[1].rid_base == 0x1000u);
    BOOST_TEST(v.id_mappings[1].output_base == 0x40000u);
    BOOST_TEST(route(v, 0, RequesterId::make(0x11, 2, 3).value).stream_id == 0x40000u + 0x0113u);
    BOOST_TEST(route(v, 0, RequesterId::make(0x10, 0, 0).value).stream_id == 0x40000u);
    BOOST_TEST(route(v, 0, RequesterId::make(0x21, 0, 0).value).stream_id == 0x2100u);
}
