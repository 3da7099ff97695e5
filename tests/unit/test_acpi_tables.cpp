// ACPI tables for the IOMMUs (IORT / DMAR / IVRS) built from a hand-made
// FirmwareView, checked field by field at the offsets the specifications
// give (written here as literals, not taken from the builders' constants),
// then disassembled by iasl.
//   IORT: Arm DEN 0049E.b        DMAR: Intel VT-d rev. 3.3 ch. 8
//   IVRS: AMD 48882 §5.2          header: ACPI 6.5 §5.2.6
#define BOOST_TEST_MODULE acpi_tables
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/common/requester_id.h"
#include "models/pci/acpi/acpi_table.h"
#include "models/pci/acpi/dmar.h"
#include "models/pci/acpi/dump.h"
#include "models/pci/acpi/iort.h"
#include "models/pci/acpi/ivrs.h"
#include "models/pci/topology.h"

using namespace iommusim::pci;
using namespace iommusim::pci::acpi;
namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<uint8_t>;

uint8_t rd8(const Bytes& b, size_t off) {
    BOOST_REQUIRE_LT(off, b.size());
    return b[off];
}
uint16_t rd16(const Bytes& b, size_t off) { return static_cast<uint16_t>(rd8(b, off) | rd8(b, off + 1) << 8); }
uint32_t rd32(const Bytes& b, size_t off) { return rd16(b, off) | uint32_t{rd16(b, off + 2)} << 16; }
uint64_t rd64(const Bytes& b, size_t off) { return rd32(b, off) | uint64_t{rd32(b, off + 4)} << 32; }
std::string rdstr(const Bytes& b, size_t off, size_t n) {
    BOOST_REQUIRE_LE(off + n, b.size());
    return std::string(b.begin() + static_cast<long>(off), b.begin() + static_cast<long>(off + n));
}

unsigned sum(const Bytes& b) {
    unsigned s = 0;
    for (uint8_t x : b) s += x;
    return s & 0xff;
}

constexpr uint16_t rid(unsigned bus, unsigned dev, unsigned fn) {
    return iommusim::RequesterId::make(bus, dev, fn).value;
}

// QEMU's bypass example, the same on every machine: the default bus (00-0f)
// and pxb2 (20-2f) bypass, pxb1 (10-1f) is translated by IOMMU 0. Devices:
// 00:01.0 (bypass), 10:02.0 on pxb1's root bus, 11:00.0 below it, 21:00.0
// (bypass).
FirmwareView bypass_example(IommuKind kind, const std::string& name, uint64_t base, uint16_t iommu_rid) {
    FirmwareView v;
    v.its_id = 7;
    v.iommus.push_back(FwIommu{name, kind, 0, base, iommu_rid});
    v.bus_ranges = {
        FwBusRange{0, 0x00, 0x0f, "pcie.0", -1, true},
        FwBusRange{0, 0x10, 0x1f, "pxb1", 0, false},
        FwBusRange{0, 0x20, 0x2f, "pxb2", -1, true},
    };
    v.id_mappings = {
        FwIdMapping{0, 0x0000, 0x1000, -1, 0x0000},
        FwIdMapping{0, 0x1000, 0x1000, 0, 0x1000},
        FwIdMapping{0, 0x2000, 0x1000, -1, 0x2000},
    };
    v.devices = {
        FwDevice{"nic_bus0", 0, rid(0x00, 1, 0), -1, true},
        FwDevice{"nic_pxb10_root", 0, rid(0x10, 2, 0), 0, false},
        FwDevice{"nic_pxb10", 0, rid(0x11, 0, 0), 0, false},
        FwDevice{"nic_pxb20", 0, rid(0x21, 0, 0), -1, true},
    };
    return v;
}

FirmwareView virt() { return bypass_example(IommuKind::SMMUv3, "smmu0", 0x09050000, 0); }
FirmwareView q35_vtd() { return bypass_example(IommuKind::VTd, "dmar0", 0xfed90000, 0); }
FirmwareView q35_amdvi() { return bypass_example(IommuKind::AMDVi, "amdvi0", 0xfeb80000, rid(0, 0, 2)); }

// One host bridge owning every bus, translated: nothing bypasses.
FirmwareView no_bypass(IommuKind kind, uint64_t base, uint16_t iommu_rid) {
    FirmwareView v;
    v.iommus.push_back(FwIommu{"iommu0", kind, 0, base, iommu_rid});
    v.bus_ranges = {FwBusRange{0, 0x00, 0xff, "pcie.0", 0, false}};
    v.id_mappings = {FwIdMapping{0, 0x0000, 0x10000, 0, 0x0000}};
    v.devices = {FwDevice{"nic0", 0, rid(0, 1, 0), 0, false}};
    return v;
}

// ACPI 6.5 §5.2.6: the 36-byte header every table starts with.
void check_header(const Bytes& t, const char* sig, uint8_t revision) {
    BOOST_REQUIRE_GE(t.size(), 36u);
    BOOST_TEST(rdstr(t, 0, 4) == sig);
    BOOST_TEST(rd32(t, 4) == t.size());  // Length
    BOOST_TEST(rd8(t, 8) == revision);
    BOOST_TEST(sum(t) == 0u);  // Checksum at 9 makes the byte sum 0
    BOOST_TEST(rdstr(t, 10, 6) == "IOMMUS");
    BOOST_TEST(rdstr(t, 16, 8) == "IOMMUSIM");
    BOOST_TEST(rd32(t, 24) == 1u);  // OEM Revision
    BOOST_TEST(rdstr(t, 28, 4) == "IOMS");
    BOOST_TEST(rd32(t, 32) == 1u);  // Creator Revision
}

// IORT ID mapping (DEN 0049E.b Table 4), 20 bytes at `m`.
void check_idmap(const Bytes& t, size_t m, uint32_t input, uint32_t count, uint32_t output, uint32_t ref) {
    BOOST_TEST(rd32(t, m + 0) == input);
    BOOST_TEST(rd32(t, m + 4) == count - 1);  // Number of IDs: count minus one
    BOOST_TEST(rd32(t, m + 8) == output);
    BOOST_TEST(rd32(t, m + 12) == ref);
    BOOST_TEST(rd32(t, m + 16) == 0u);  // Flags: not a single mapping
}

// DMAR device scope with one path entry (VT-d 8.3.1), 8 bytes at `s`.
void check_scope(const Bytes& t, size_t s, uint8_t type, uint8_t bus, uint8_t dev, uint8_t fn) {
    BOOST_TEST(rd8(t, s + 0) == type);
    BOOST_TEST(rd8(t, s + 1) == 8u);  // Length: 6 + one 2-byte path entry
    BOOST_TEST(rd16(t, s + 2) == 0u);
    BOOST_TEST(rd8(t, s + 4) == 0u);  // Enumeration ID
    BOOST_TEST(rd8(t, s + 5) == bus);  // Start bus number
    BOOST_TEST(rd8(t, s + 6) == dev);
    BOOST_TEST(rd8(t, s + 7) == fn);
}

// IVHD 4-byte device entry (48882 §5.2.2.2) at `e`.
void check_entry(const Bytes& t, size_t e, uint8_t type, uint16_t device_id) {
    BOOST_TEST(rd8(t, e + 0) == type);
    BOOST_TEST(rd16(t, e + 1) == device_id);
    BOOST_TEST(rd8(t, e + 3) == 0u);  // DTE setting
}

}  // namespace

// ---- building blocks --------------------------------------------------------

BOOST_AUTO_TEST_CASE(byte_writer_is_little_endian_and_patches) {
    ByteWriter w;
    BOOST_TEST(w.u8(0x12) == 0u);
    BOOST_TEST(w.u16(0x3456) == 1u);
    BOOST_TEST(w.u32(0x789abcde) == 3u);
    BOOST_TEST(w.u64(0x0102030405060708ull) == 7u);
    BOOST_TEST(w.fixed_string("AB", 4) == 15u);
    BOOST_TEST(w.fixed_string("TOOLONG", 3) == 19u);
    const size_t ph = w.placeholder_u32();
    w.patch_u32(ph, 0xcafef00d);
    const Bytes expect = {0x12, 0x56, 0x34, 0xde, 0xbc, 0x9a, 0x78, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03,
                          0x02, 0x01, 'A',  'B',  ' ',  ' ',  'T',  'O',  'O',  0x0d, 0xf0, 0xfe, 0xca};
    BOOST_TEST(w.data() == expect, boost::test_tools::per_element());
    BOOST_CHECK_THROW(w.patch_u32(w.size() - 2, 0), std::out_of_range);
    BOOST_CHECK_THROW(w.at(3), std::logic_error);  // a field expected where the writer is not
    BOOST_CHECK_NO_THROW(w.at(w.size()));
}

BOOST_AUTO_TEST_CASE(header_finalize_writes_length_and_checksum) {
    SdtHeader h;
    h.signature = "TEST";
    h.revision = 9;
    h.oem_id = "ABC";                // padded to 6
    h.oem_table_id = "0123456789";   // truncated to 8
    h.oem_revision = 0x11223344;
    AcpiTable t(h);
    t.w().u32(0xffffffff);
    const Bytes b = t.finalize();
    BOOST_TEST(b.size() == 40u);
    BOOST_TEST(rdstr(b, 0, 4) == "TEST");
    BOOST_TEST(rd32(b, 4) == 40u);
    BOOST_TEST(rd8(b, 8) == 9u);
    BOOST_TEST(sum(b) == 0u);
    BOOST_TEST(byte_sum(b) == 0u);
    BOOST_TEST(rdstr(b, 10, 6) == "ABC   ");
    BOOST_TEST(rdstr(b, 16, 8) == "01234567");
    BOOST_TEST(rd32(b, 24) == 0x11223344u);
    BOOST_TEST(rdstr(b, 28, 4) == "IOMS");

    SdtHeader bad = h;
    bad.signature = "TOOLONG";
    BOOST_CHECK_THROW(AcpiTable{bad}, std::invalid_argument);
}

// ---- IORT -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(iort_virt_bypass_example) {
    const Bytes t = build_iort(virt());
    check_header(t, "IORT", 3);  // DEN 0049E.b: table revision 3
    BOOST_TEST(t.size() == 256u);
    BOOST_TEST(rd32(t, 36) == 3u);   // node count at 36: ITS group, SMMUv3, root complex
    BOOST_TEST(rd32(t, 40) == 48u);  // offset of the node array
    BOOST_TEST(rd32(t, 44) == 0u);   // reserved

    // ITS group node at 48 (Table 12): 16-byte header + count + 1 identifier.
    const size_t its = 48;
    BOOST_TEST(rd8(t, its + 0) == 0u);    // type: ITS group
    BOOST_TEST(rd16(t, its + 1) == 24u);  // length
    BOOST_TEST(rd8(t, its + 3) == 1u);    // revision
    BOOST_TEST(rd32(t, its + 4) == 0u);   // identifier
    BOOST_TEST(rd32(t, its + 8) == 0u);   // no ID mappings
    BOOST_TEST(rd32(t, its + 16) == 1u);  // number of ITSs
    BOOST_TEST(rd32(t, its + 20) == 7u);  // GIC ITS identifier = its_id

    // SMMUv3 node at 72 (Table 9): 68 bytes + one ID mapping.
    const size_t smmu = 72;
    BOOST_TEST(rd8(t, smmu + 0) == 4u);     // type: SMMUv3
    BOOST_TEST(rd16(t, smmu + 1) == 88u);   // length 68 + 20
    BOOST_TEST(rd8(t, smmu + 3) == 4u);     // revision
    BOOST_TEST(rd32(t, smmu + 4) == 1u);    // identifier, unique
    BOOST_TEST(rd32(t, smmu + 8) == 1u);    // one ID mapping
    BOOST_TEST(rd32(t, smmu + 12) == 68u);  // at offset 68 in the node
    BOOST_TEST(rd64(t, smmu + 16) == 0x09050000u);  // base address
    BOOST_TEST(rd32(t, smmu + 24) == 1u);   // flags: COHACC override only
    BOOST_TEST(rd64(t, smmu + 32) == 0u);   // VATOS
    BOOST_TEST(rd32(t, smmu + 40) == 0u);   // model: generic SMMUv3
    for (size_t gsiv = 44; gsiv <= 56; gsiv += 4) BOOST_TEST(rd32(t, smmu + gsiv) == 0u);  // no GSIVs
    BOOST_TEST(rd32(t, smmu + 64) == 0u);   // DeviceID mapping index (flag clear)
    check_idmap(t, smmu + 68, 0, 0x10000, 0, its);  // StreamIDs -> ITS, as QEMU

    // Root complex node at 160 (Table 17): 36 bytes + three ID mappings.
    const size_t rc = 160;
    BOOST_TEST(rd8(t, rc + 0) == 2u);     // type: PCI root complex
    BOOST_TEST(rd16(t, rc + 1) == 96u);   // length 36 + 3 * 20
    BOOST_TEST(rd8(t, rc + 3) == 3u);     // revision
    BOOST_TEST(rd32(t, rc + 4) == 2u);    // identifier
    BOOST_TEST(rd32(t, rc + 8) == 3u);    // ID mapping count
    BOOST_TEST(rd32(t, rc + 12) == 36u);  // ID array offset
    BOOST_TEST(rd32(t, rc + 16) == 1u);   // CCA: fully coherent
    BOOST_TEST(rd8(t, rc + 23) == 3u);    // memory access flags: CPM | DACS
    BOOST_TEST(rd32(t, rc + 24) == 0u);   // ATS attribute
    BOOST_TEST(rd32(t, rc + 28) == 0u);   // PCI segment
    BOOST_TEST(rd8(t, rc + 32) == 48u);   // memory address size limit = host_address_width
    check_idmap(t, rc + 36, 0x0000, 0x1000, 0x0000, its);   // pcie.0 bypasses: straight to the ITS
    check_idmap(t, rc + 56, 0x1000, 0x1000, 0x1000, smmu);  // pxb1: to the SMMUv3, StreamID base 0x1000
    check_idmap(t, rc + 76, 0x2000, 0x1000, 0x2000, its);   // pxb2 bypasses
}

BOOST_AUTO_TEST_CASE(iort_two_smmus_two_segments) {
    FirmwareView v;
    v.iommus = {FwIommu{"smmu0", IommuKind::SMMUv3, 0, 0x09050000, 0},
                FwIommu{"smmu1", IommuKind::SMMUv3, 1, 0x09070000, 0}};
    v.bus_ranges = {FwBusRange{0, 0x00, 0xff, "pcie.0", 0, false}, FwBusRange{1, 0x00, 0x7f, "pxb.s1", 1, false},
                    FwBusRange{1, 0x80, 0xff, "pxb.s1b", -1, true}};
    // Listed out of order; segment 1 translated with a StreamID offset.
    v.id_mappings = {FwIdMapping{1, 0x8000, 0x8000, -1, 0x8000}, FwIdMapping{0, 0x0000, 0x10000, 0, 0x0000},
                     FwIdMapping{1, 0x0000, 0x8000, 1, 0x20000}};
    const Bytes t = build_iort(v);
    check_header(t, "IORT", 3);
    BOOST_TEST(rd32(t, 36) == 5u);  // ITS + 2 SMMUv3 + 2 root complexes
    const size_t its = 48, smmu0 = 72, smmu1 = 160, rc0 = 248;
    BOOST_TEST(rd8(t, smmu0) == 4u);
    BOOST_TEST(rd64(t, smmu0 + 16) == 0x09050000u);
    BOOST_TEST(rd8(t, smmu1) == 4u);
    BOOST_TEST(rd64(t, smmu1 + 16) == 0x09070000u);
    check_idmap(t, smmu1 + 68, 0, 0x28000, 0, its);  // widened to cover StreamIDs up to 0x27fff
    BOOST_TEST(rd8(t, rc0) == 2u);
    BOOST_TEST(rd32(t, rc0 + 28) == 0u);  // segment 0
    BOOST_TEST(rd32(t, rc0 + 8) == 1u);
    check_idmap(t, rc0 + 36, 0x0000, 0x10000, 0x0000, smmu0);
    const size_t rc1 = rc0 + rd16(t, rc0 + 1);
    BOOST_TEST(rd8(t, rc1) == 2u);
    BOOST_TEST(rd32(t, rc1 + 4) == 4u);   // identifier
    BOOST_TEST(rd32(t, rc1 + 28) == 1u);  // segment 1
    BOOST_TEST(rd32(t, rc1 + 8) == 2u);
    check_idmap(t, rc1 + 36, 0x0000, 0x8000, 0x20000, smmu1);  // ascending input base
    check_idmap(t, rc1 + 56, 0x8000, 0x8000, 0x8000, its);
    BOOST_TEST(rc1 + rd16(t, rc1 + 1) == t.size());
}

BOOST_AUTO_TEST_CASE(iort_rejects_mappings_to_non_smmu) {
    FirmwareView v = virt();
    v.iommus[0].kind = IommuKind::VTd;
    BOOST_CHECK_THROW(build_iort(v), std::invalid_argument);
    v = virt();
    v.id_mappings[1].iommu = 3;
    BOOST_CHECK_THROW(build_iort(v), std::invalid_argument);
    v = virt();
    v.id_mappings[0].count = 0;
    BOOST_CHECK_THROW(build_iort(v), std::invalid_argument);
}

// ---- DMAR -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(dmar_q35_bypass_example_has_explicit_scopes) {
    const Bytes t = build_dmar(q35_vtd());
    check_header(t, "DMAR", 1);
    BOOST_TEST(t.size() == 80u);
    BOOST_TEST(rd8(t, 36) == 47u);  // host address width - 1
    BOOST_TEST(rd8(t, 37) == 0u);   // flags
    for (size_t i = 38; i < 48; ++i) BOOST_TEST(rd8(t, i) == 0u);

    const size_t drhd = 48;
    BOOST_TEST(rd16(t, drhd + 0) == 0u);   // type: DRHD
    BOOST_TEST(rd16(t, drhd + 2) == 32u);  // 16 + two 8-byte scopes
    BOOST_TEST(rd8(t, drhd + 4) == 0u);    // flags: INCLUDE_PCI_ALL clear (buses bypass)
    BOOST_TEST(rd16(t, drhd + 6) == 0u);   // segment
    BOOST_TEST(rd64(t, drhd + 8) == 0xfed90000u);
    // pxb1 only (the bypassing bridges get none), Start Bus = its root bus 0x10:
    check_scope(t, drhd + 16, 2, 0x10, 0, 0);  // port 10:00.0 leading to bus 0x11 (sub-hierarchy)
    check_scope(t, drhd + 24, 1, 0x10, 2, 0);  // endpoint 10:02.0
}

BOOST_AUTO_TEST_CASE(dmar_without_bypass_includes_all) {
    const Bytes t = build_dmar(no_bypass(IommuKind::VTd, 0xfed90000, 0));
    check_header(t, "DMAR", 1);
    BOOST_TEST(t.size() == 64u);
    BOOST_TEST(rd16(t, 48) == 0u);
    BOOST_TEST(rd16(t, 50) == 16u);  // no device scopes
    BOOST_TEST(rd8(t, 52) == 1u);    // INCLUDE_PCI_ALL
    BOOST_TEST(rd64(t, 56) == 0xfed90000u);

    FirmwareView v = no_bypass(IommuKind::VTd, 0xfed90000, 0);
    v.host_address_width = 39;
    BOOST_TEST(rd8(build_dmar(v), 36) == 38u);
}

BOOST_AUTO_TEST_CASE(dmar_include_all_unit_comes_last) {
    FirmwareView v;
    v.iommus = {FwIommu{"dmar_s1", IommuKind::VTd, 1, 0xfed91000, 0},
                FwIommu{"dmar_s0", IommuKind::VTd, 0, 0xfed90000, 0}};
    v.bus_ranges = {FwBusRange{0, 0x00, 0x3f, "pcie.0", 1, false}, FwBusRange{0, 0x40, 0xff, "pxb", -1, true},
                    FwBusRange{1, 0x00, 0xff, "pxb.s1", 0, false}};
    v.devices = {FwDevice{"a", 0, rid(0x00, 3, 1), 1, false}, FwDevice{"b", 0, rid(0x05, 0, 0), 1, false},
                 FwDevice{"c", 0, rid(0x41, 0, 0), -1, true}, FwDevice{"d", 1, rid(0x02, 0, 0), 0, false}};
    const Bytes t = build_dmar(v);
    check_header(t, "DMAR", 1);
    // Segment 0 unit first (explicit scopes), then the INCLUDE_PCI_ALL unit of segment 1.
    const size_t first = 48;
    BOOST_TEST(rd16(t, first + 2) == 32u);
    BOOST_TEST(rd8(t, first + 4) == 0u);
    BOOST_TEST(rd16(t, first + 6) == 0u);
    BOOST_TEST(rd64(t, first + 8) == 0xfed90000u);
    check_scope(t, first + 16, 1, 0x00, 3, 1);  // endpoint on root bus 0
    check_scope(t, first + 24, 2, 0x00, 4, 0);  // bus 5 = port index 4 on bus 0
    const size_t second = first + 32;
    BOOST_TEST(rd16(t, second + 2) == 16u);
    BOOST_TEST(rd8(t, second + 4) == 1u);  // INCLUDE_PCI_ALL
    BOOST_TEST(rd16(t, second + 6) == 1u);
    BOOST_TEST(rd64(t, second + 8) == 0xfed91000u);
    BOOST_TEST(second + 16 == t.size());
}

// ---- IVRS -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(ivrs_q35_bypass_example) {
    const Bytes t = build_ivrs(q35_amdvi());
    check_header(t, "IVRS", 1);
    BOOST_TEST(t.size() == 84u);
    BOOST_TEST(rd32(t, 36) == 48u << 8);  // IVinfo: PASize (bits 14:8) = 48
    BOOST_TEST(rd64(t, 40) == 0u);

    const size_t ivhd = 48;
    BOOST_TEST(rd8(t, ivhd + 0) == 0x10u);   // IVHD type 10h
    BOOST_TEST(rd8(t, ivhd + 1) == 0x11u);   // flags: HtTunEn | IotlbSup
    BOOST_TEST(rd16(t, ivhd + 2) == 36u);    // 24 + three 4-byte entries
    BOOST_TEST(rd16(t, ivhd + 4) == 0x0002u);  // IOMMU DeviceID 00:00.2
    BOOST_TEST(rd16(t, ivhd + 6) == 0x40u);  // capability offset
    BOOST_TEST(rd64(t, ivhd + 8) == 0xfeb80000u);
    BOOST_TEST(rd16(t, ivhd + 16) == 0u);    // PCI segment group
    BOOST_TEST(rd16(t, ivhd + 18) == 0u);    // IOMMU info
    BOOST_TEST(rd32(t, ivhd + 20) == 0u);    // feature reporting
    // pxb1 only: its root-bus device, then its buses below the root bus.
    check_entry(t, ivhd + 24, 2, rid(0x10, 2, 0));     // Select 10:02.0
    check_entry(t, ivhd + 28, 3, rid(0x11, 0, 0));     // Start of range 11:00.0
    check_entry(t, ivhd + 32, 4, rid(0x1f, 0x1f, 7));  // End of range 1f:1f.7
}

BOOST_AUTO_TEST_CASE(ivrs_without_bypass_lists_all) {
    const Bytes t = build_ivrs(no_bypass(IommuKind::AMDVi, 0xfeb80000, rid(0, 0, 2)));
    check_header(t, "IVRS", 1);
    BOOST_TEST(t.size() == 76u);
    BOOST_TEST(rd8(t, 48) == 0x10u);
    BOOST_TEST(rd16(t, 50) == 28u);
    check_entry(t, 72, 1, 0);  // ALL
}

BOOST_AUTO_TEST_CASE(tables_ignore_iommus_of_other_kinds) {
    // An IVRS of a VT-d platform has no IVHD; a DMAR of an AMD one no DRHD.
    BOOST_TEST(build_ivrs(q35_vtd()).size() == 48u);
    BOOST_TEST(build_dmar(q35_amdvi()).size() == 48u);
    FirmwareView v = q35_vtd();
    v.bus_ranges[1].iommu = 5;
    BOOST_CHECK_THROW(build_dmar(v), std::invalid_argument);
    BOOST_CHECK_THROW(build_ivrs(v), std::invalid_argument);
}

// ---- from a topology ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(tables_follow_the_derived_firmware_view) {
    // configs/*-pxb-bypass.yaml: default bus and pxb bus_nr 0x20 bypass, pxb bus_nr 0x10 translated.
    for (IommuKind kind : {IommuKind::SMMUv3, IommuKind::VTd, IommuKind::AMDVi}) {
        Topology topo;
        topo.machine = kind == IommuKind::SMMUv3 ? Machine::Virt : Machine::Q35;
        topo.default_bus_bypass_iommu = true;
        topo.bridges = {HostBridge{"pcie.0", true, 0, 0x00, 0, false, ""},
                        HostBridge{"pci.10", false, 0, 0x10, 0, false, ""},
                        HostBridge{"pci.20", false, 0, 0x20, 0, true, ""}};
        topo.devices = {PciDevice{"nic_bus0", 0, iommusim::RequesterId::make(0x00, 1, 0)},
                        PciDevice{"nic_pxb10", 0, iommusim::RequesterId::make(0x11, 0, 0)},
                        PciDevice{"nic_pxb20", 0, iommusim::RequesterId::make(0x21, 0, 0)}};
        topo.iommus = {TopologyIommu{"iommu0", kind, 0, 0x09050000, rid(0, 0, 2)}};
        BOOST_REQUIRE(validate(topo).empty());
        const FirmwareView v = build_firmware_view(topo);
        if (kind == IommuKind::SMMUv3) {
            const Bytes t = build_iort(v);
            check_header(t, "IORT", 3);
            const size_t rc = 160;
            BOOST_TEST(rd32(t, rc + 8) == 3u);
            check_idmap(t, rc + 36, 0x0000, 0x1000, 0x0000, 48);
            check_idmap(t, rc + 56, 0x1000, 0x1000, 0x1000, 72);
            check_idmap(t, rc + 76, 0x2000, 0xe000, 0x2000, 48);  // pci.20 owns buses 0x20-0xff
        } else if (kind == IommuKind::VTd) {
            const Bytes t = build_dmar(v);
            check_header(t, "DMAR", 1);
            BOOST_TEST(rd8(t, 52) == 0u);
            BOOST_TEST(rd16(t, 50) == 24u);
            check_scope(t, 64, 2, 0x10, 0, 0);
        } else {
            const Bytes t = build_ivrs(v);
            check_header(t, "IVRS", 1);
            BOOST_TEST(rd16(t, 50) == 32u);
            check_entry(t, 72, 3, rid(0x11, 0, 0));
            check_entry(t, 76, 4, rid(0x1f, 0x1f, 7));
        }
    }
}

// ---- dump -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(dump_names_every_field) {
    const std::string iort = dump_table(build_iort(virt()));
    for (const char* s : {"IORT", "Checksum", "(valid)", "Node count", ": 3", "ITS group", "SMMUv3",
                          "0x0000000009050000", "PCI root complex", "Memory address size limit", "48 bits",
                          "(4096 IDs)", "(SMMUv3 #1)", "(ITS group #0)"})
        BOOST_TEST(iort.find(s) != std::string::npos, "IORT dump lacks '" << s << "'\n" << iort);

    const std::string dmar = dump_table(build_dmar(q35_vtd()));
    for (const char* s : {"DMAR", "Host address width - 1", "48-bit", "DRHD", "0x00000000FED90000",
                          "PCI sub-hierarchy", "PCI endpoint", "{device 02, function 0}", "Start bus number"})
        BOOST_TEST(dmar.find(s) != std::string::npos, "DMAR dump lacks '" << s << "'\n" << dmar);
    BOOST_TEST(dump_table(build_dmar(no_bypass(IommuKind::VTd, 0xfed90000, 0))).find("INCLUDE_PCI_ALL") !=
               std::string::npos);

    const std::string ivrs = dump_table(build_ivrs(q35_amdvi()));
    for (const char* s : {"IVRS", "PASize 48", "IVHD type 0x10", "HtTunEn | IotlbSup", "(00:00.2)", "Select",
                          "10:02.0", "Start of range", "11:00.0", "End of range", "1f:1f.7"})
        BOOST_TEST(ivrs.find(s) != std::string::npos, "IVRS dump lacks '" << s << "'\n" << ivrs);
}

BOOST_AUTO_TEST_CASE(dump_survives_damaged_tables) {
    for (const Bytes& full : {build_iort(virt()), build_dmar(q35_vtd()), build_ivrs(q35_amdvi())}) {
        for (size_t n = 0; n <= full.size(); ++n) {
            const Bytes cut(full.begin(), full.begin() + static_cast<long>(n));
            const std::string d = dump_table(cut);  // must not read past the buffer (ASan)
            BOOST_TEST(!d.empty());
            if (n >= 36 && n < full.size()) BOOST_TEST(d.find("MISMATCH") != std::string::npos);
        }
        Bytes bad = full;
        bad[9] ^= 0xff;
        BOOST_TEST(dump_table(bad).find("INVALID") != std::string::npos);
        for (size_t i = 36; i < full.size(); ++i) {  // a length or count of 0xff anywhere
            Bytes x = full;
            x[i] = 0xff;
            BOOST_TEST(!dump_table(x).empty());
        }
    }
    SdtHeader h;
    h.signature = "XYZW";
    AcpiTable t(h);
    t.w().u32(0xdeadbeef);
    const std::string d = dump_table(t.finalize());
    BOOST_TEST(d.find("no decoder") != std::string::npos);
    BOOST_TEST(d.find("ef be ad de") != std::string::npos);
}

// ---- iasl -------------------------------------------------------------------

namespace {

struct Run {
    int status = -1;
    std::string output;
};

Run run(const std::string& cmd) {
    Run r;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    BOOST_REQUIRE_MESSAGE(p != nullptr, "cannot run: " << cmd);
    std::array<char, 512> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

}  // namespace

BOOST_AUTO_TEST_CASE(iasl_disassembles_every_table_cleanly) {
    // Required, not optional: CI installs acpica-tools.
    BOOST_REQUIRE_MESSAGE(run("command -v iasl").status == 0, "iasl not found: install acpica-tools");

    std::string tmpl = (fs::temp_directory_path() / "iommusim_acpi_XXXXXX").string();
    BOOST_REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    const fs::path dir = tmpl;

    const std::vector<std::pair<std::string, Bytes>> tables = {
        {"iort_virt", build_iort(virt())},
        {"iort_no_bypass", build_iort(no_bypass(IommuKind::SMMUv3, 0x09050000, 0))},
        {"dmar_q35", build_dmar(q35_vtd())},
        {"dmar_no_bypass", build_dmar(no_bypass(IommuKind::VTd, 0xfed90000, 0))},
        {"ivrs_q35", build_ivrs(q35_amdvi())},
        {"ivrs_no_bypass", build_ivrs(no_bypass(IommuKind::AMDVi, 0xfeb80000, rid(0, 0, 2)))},
    };
    for (const auto& [name, bytes] : tables) {
        const fs::path bin = dir / (name + ".dat");
        {
            std::ofstream f(bin, std::ios::binary);
            f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        }
        const Run r = run("cd '" + dir.string() + "' && iasl -d '" + bin.filename().string() + "'");
        BOOST_TEST(r.status == 0, name << ": iasl -d exited " << r.status << "\n" << r.output);
        BOOST_TEST(r.output.find("Error") == std::string::npos, name << ":\n" << r.output);
        BOOST_TEST(r.output.find("Warning") == std::string::npos, name << ":\n" << r.output);
        const std::string dsl = slurp(dir / (name + ".dsl"));
        BOOST_TEST(!dsl.empty(), name << ": no disassembly written");
        BOOST_TEST(dsl.find("Error") == std::string::npos, name << ":\n" << dsl);
        BOOST_TEST(dsl.find("Warning") == std::string::npos, name << ":\n" << dsl);
        BOOST_TEST(dsl.find("****") == std::string::npos, name << ": iasl flagged the table\n" << dsl);
        std::string sig = name.substr(0, 4);
        for (char& c : sig) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        BOOST_TEST(dsl.find("Signature : \"" + sig + "\"") != std::string::npos, name << ":\n" << dsl);
    }
    fs::remove_all(dir);
}
