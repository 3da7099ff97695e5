// `iommusim tables`: the shipped example platforms produce exactly the ACPI
// tables their IOMMUs call for, each a valid table (signature, length,
// checksum) that iasl disassembles without errors or warnings, and the IORT
// of QEMU's virt bypass example has the root-complex ID mappings the ACPI
// IORT spec (DEN 0049E.b) and QEMU's bypass layout give, parsed from the
// bytes the command wrote.
#define BOOST_TEST_MODULE tables_cli
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/sc/cli_helpers.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using iommusim::test::RunResult;
using iommusim::test::run_iommusim;
using iommusim::test::run_shell;
using iommusim::test::temp_dir;

namespace {

std::vector<uint8_t> read_bytes(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

uint32_t u32(const std::vector<uint8_t>& b, size_t off) {
    BOOST_REQUIRE(off + 4 <= b.size());
    return uint32_t(b[off]) | uint32_t(b[off + 1]) << 8 | uint32_t(b[off + 2]) << 16 | uint32_t(b[off + 3]) << 24;
}

std::string config(const std::string& name) { return std::string(IOMMUSIM_SOURCE_DIR) + "/configs/" + name; }

// Runs `tables` on a shipped config; checks that exactly `expected` tables
// were written, each valid and disassembled cleanly by iasl.
void check_shipped(const std::string& cfg, const std::string& expected) {
    const fs::path d = temp_dir("tables-" + expected);
    const RunResult r = run_iommusim("tables " + config(cfg) + " --quiet --out out", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    for (const std::string sig : {"IORT", "DMAR", "IVRS"})
        BOOST_TEST(fs::exists(d / "out" / (sig + ".dat")) == (sig == expected), cfg << ": " << sig);
    BOOST_TEST(fs::exists(d / "out" / "tables.txt"));
    const auto b = read_bytes(d / "out" / (expected + ".dat"));
    BOOST_TEST_REQUIRE(b.size() >= 36u);
    BOOST_TEST(std::string(b.begin(), b.begin() + 4) == expected);
    BOOST_TEST(u32(b, 4) == b.size());  // header Length
    unsigned sum = 0;
    for (uint8_t x : b) sum += x;
    BOOST_TEST(sum % 256 == 0u);  // the whole table sums to zero

    const RunResult iasl = run_shell("iasl -d out/" + expected + ".dat", d);
    BOOST_TEST(iasl.code == 0, iasl.out);
    BOOST_TEST(iasl.out.find("Error") == std::string::npos, iasl.out);
    BOOST_TEST(iasl.out.find("Warning") == std::string::npos, iasl.out);
    std::ifstream dsl(d / "out" / (expected + ".dsl"));
    const std::string text((std::istreambuf_iterator<char>(dsl)), std::istreambuf_iterator<char>());
    BOOST_TEST(text.find("Signature : \"" + expected + "\"") != std::string::npos, text);
    BOOST_TEST(text.find("****") == std::string::npos, text);
    fs::remove_all(d);
}

}  // namespace

BOOST_AUTO_TEST_CASE(virt_example_writes_a_clean_iort) { check_shipped("virt-smmuv3-pxb-bypass.yaml", "IORT"); }
BOOST_AUTO_TEST_CASE(q35_vtd_example_writes_a_clean_dmar) { check_shipped("q35-vtd-pxb-bypass.yaml", "DMAR"); }
BOOST_AUTO_TEST_CASE(q35_amdvi_example_writes_a_clean_ivrs) { check_shipped("q35-amdvi-pxb-bypass.yaml", "IVRS"); }
BOOST_AUTO_TEST_CASE(default_platform_writes_a_clean_iort) { check_shipped("default.yaml", "IORT"); }

// virt, default_bus_bypass_iommu=true, pxb bus_nr 0x10 translated, pxb bus_nr
// 0x20 bypass_iommu=true. Buses: pcie.0 0x00-0x0f, pxb 0x10-0x1f, pxb
// 0x20-0xff. The root complex node maps RIDs 0x0000-0x0fff and 0x2000-0xffff
// to the ITS group and 0x1000-0x1fff to the SMMUv3 node (identity StreamIDs).
BOOST_AUTO_TEST_CASE(virt_example_iort_maps_only_the_translated_expander_to_the_smmu) {
    const fs::path d = temp_dir("tables-virt-map");
    const RunResult r = run_iommusim("tables " + config("virt-smmuv3-pxb-bypass.yaml") + " --quiet --out out", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    const auto b = read_bytes(d / "out" / "IORT.dat");
    // IORT: node count at 36, node array offset at 40; node header: type u8
    // at 0, length u16 at 1, mapping count u32 at 8, mapping offset u32 at 12.
    const uint32_t nodes = u32(b, 36);
    size_t off = u32(b, 40);
    size_t its = 0, smmu = 0, rc = 0;
    for (uint32_t i = 0; i < nodes; ++i) {
        BOOST_REQUIRE(off + 16 <= b.size());
        const uint8_t type = b[off];
        if (type == 0) its = off;
        if (type == 4) smmu = off;
        if (type == 2) rc = off;
        off += b[off + 1] | b[off + 2] << 8;
    }
    BOOST_TEST_REQUIRE(its != 0u);
    BOOST_TEST_REQUIRE(smmu != 0u);
    BOOST_TEST_REQUIRE(rc != 0u);
    BOOST_TEST(u32(b, smmu + 16) == 0x09050000u);  // SMMUv3 base address (low word)
    BOOST_TEST_REQUIRE(u32(b, rc + 8) == 3u);
    const size_t m = rc + u32(b, rc + 12);
    // ID mapping: input base, number of IDs - 1, output base, output reference, flags.
    struct Want {
        uint32_t input, ids_minus_1, output;
        size_t ref;
    };
    const Want want[3] = {{0x0000, 0x0fff, 0x0000, its}, {0x1000, 0x0fff, 0x1000, smmu}, {0x2000, 0xdfff, 0x2000, its}};
    for (int i = 0; i < 3; ++i) {
        const size_t e = m + 20 * i;
        BOOST_TEST(u32(b, e) == want[i].input, "mapping " << i);
        BOOST_TEST(u32(b, e + 4) == want[i].ids_minus_1, "mapping " << i);
        BOOST_TEST(u32(b, e + 8) == want[i].output, "mapping " << i);
        BOOST_TEST(u32(b, e + 12) == want[i].ref, "mapping " << i);
    }
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(platform_without_iommu_has_no_tables) {
    const fs::path d = temp_dir("tables-noiommu");
    std::ofstream(d / "p.yaml") << "platform: {unsafe_noiommu: true}\ndevices:\n  - {name: a, bdf: \"00:01.0\"}\n";
    const RunResult r = run_iommusim("tables p.yaml --out out", d);
    BOOST_TEST(r.code == 0, r.out);
    BOOST_TEST(r.out.find("has no IOMMU") != std::string::npos, r.out);
    BOOST_TEST(!fs::exists(d / "out" / "IORT.dat"));
    BOOST_TEST(!fs::exists(d / "out" / "DMAR.dat"));
    BOOST_TEST(!fs::exists(d / "out" / "IVRS.dat"));
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(invalid_config_writes_nothing) {
    const fs::path d = temp_dir("tables-bad");
    std::ofstream(d / "p.yaml") << "machine: {type: generic, default_bus_bypass_iommu: true}\n"
                                   "iommus:\n  - {name: smmu0}\ndevices:\n  - {name: a, bdf: \"00:01.0\"}\n";
    const RunResult r = run_iommusim("tables p.yaml --out out", d);
    BOOST_TEST(r.code == 2, r.out);
    BOOST_TEST(r.out.find("default_bus_bypass_iommu") != std::string::npos, r.out);
    BOOST_TEST(!fs::exists(d / "out"));
    fs::remove_all(d);
}
