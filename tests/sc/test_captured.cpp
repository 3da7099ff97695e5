// Starting from a captured system: memory preloaded from a raw image (as
// QEMU's pmemsave writes it) and the SMMU's registers set in a stated order
// (as the driver's last writes left them), with no host-software helper.
// The image is built here by hand: a linear stream table at 0x8000_0000
// (STRTAB_BASE_CFG.LOG2SIZE = 8, FMT = linear), the STE of StreamID 8
// (00:01.0) = stage-1 translate with its CD at 0x8001_0000, and 4 KiB-granule
// page tables mapping IOVA [0x1000_0000, +64 KiB) to PA 0x9000_0000. StreamID
// 0x10 (00:02.0) has an invalid STE (V = 0). A trace replays through it and
// the results file must show the hand-computed output addresses and faults.
#define BOOST_TEST_MODULE captured
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/common/pagetables/vmsa_builder.h"
#include "models/common/sparse_memory.h"
#include "models/smmuv3/arch/cd.h"
#include "models/smmuv3/arch/regs.h"
#include "models/smmuv3/arch/ste.h"
#include "tests/sc/cli_helpers.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using namespace iommusim;
using namespace iommusim::smmuv3;
using iommusim::test::RunResult;
using iommusim::test::run_iommusim;
using iommusim::test::temp_dir;

namespace {

constexpr uint64_t kImage = 0x80000000, kImageSize = 0x100000;
constexpr uint64_t kStrtab = 0x80000000, kCd = 0x80010000, kTables = 0x80020000;

struct Bump {
    SparseMemory* mem;
    uint64_t next;
};

// Writes the image file; returns nothing (all addresses are the constants above).
void write_image(const fs::path& file) {
    SparseMemory mem;
    Bump bump{&mem, kTables};
    vmsa::TableMemory tm;
    tm.ctx = &bump;
    tm.read64 = [](void* c, uint64_t pa) { return static_cast<Bump*>(c)->mem->read64(pa); };
    tm.write64 = [](void* c, uint64_t pa, uint64_t v) { static_cast<Bump*>(c)->mem->write64(pa, v); };
    tm.alloc_table = [](void* c, uint64_t bytes) {
        Bump* b = static_cast<Bump*>(c);
        b->next = (b->next + bytes - 1) / bytes * bytes;
        const uint64_t pa = b->next;
        b->next += bytes;
        return pa;
    };
    vmsa::VmsaBuilder pt(vmsa::Stage::S1, vmsa::Granule::G4K, 16, 0, tm, 48);
    BOOST_REQUIRE(pt.map(0x10000000, 0x90000000, 0x10000, 0x1000, vmsa::MapAttrs{}));

    Cd cd;
    cd.set_V(1);
    cd.set_T0SZ(16);
    cd.set_TG0(TG0_4K);
    cd.set_EPD1(1);
    cd.set_IPS(OAS_48BIT);
    cd.set_AA64(1);
    cd.set_R(1);
    cd.set_A(1);
    cd.set_ASET(1);
    cd.set_ASID(1);
    cd.set_ttb0_addr(pt.ttb());
    mem.write(kCd, cd.dw, 64);

    Ste ste;
    ste.set_V(1);
    ste.set_Config(STE_CONFIG_S1_TRANS);
    ste.set_s1_context_ptr_addr(kCd);
    ste.set_S1Fmt(S1FMT_LINEAR);
    ste.set_S1CDMax(0);
    mem.write(kStrtab + 8 * 64, ste.dw, 64);  // StreamID 8 = 00:01.0

    std::vector<char> bytes(kImageSize);
    mem.read(kImage, bytes.data(), kImageSize);
    std::ofstream(file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

using iommusim::test::read_csv;

// STRTAB_BASE = 0x8000_0000 (ADDR = PA[51:6]); STRTAB_BASE_CFG: FMT [17:16] =
// 0 (linear), LOG2SIZE [5:0] = 8 -> 0x8; CR0.SMMUEN (bit 0) = 1.
const char* kPlatform = R"(memory:
  alloc_base: 0x40000000
  alloc_size: 256MiB
  preload:
    - {file: image.bin, address: 0x80000000}
iommus:
  - name: smmu0
    setup: captured
    registers:
      - {name: STRTAB_BASE, value: 0x80000000}
      - {name: SMMU_STRTAB_BASE_CFG, value: 0x8}
      - {offset: 0x20, value: 0x1}
devices:
  - name: a
    bdf: "00:01.0"
    traffic: {pattern: trace, file: t.csv}
  - name: b
    bdf: "00:02.0"
    traffic: {pattern: trace, file: t.csv}
)";

}  // namespace

BOOST_AUTO_TEST_CASE(captured_tables_translate_as_built) {
    const fs::path d = temp_dir("captured");
    write_image(d / "image.bin");
    std::ofstream(d / "p.yaml") << kPlatform;
    std::ofstream(d / "t.csv") << "0,00:01.0,-,0x10000040,64,r\n"
                                  "100,00:01.0,-,0x1000f800,64,w\n"
                                  "200,00:01.0,-,0x10010000,64,r\n"   // one page past the mapping
                                  "300,00:02.0,-,0x10000000,64,r\n";  // STE.V = 0
    const RunResult r = run_iommusim("run p.yaml --quiet --out out", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    const auto rows = read_csv(d / "out" / "transactions.csv");
    BOOST_TEST_REQUIRE(rows.size() == 5u);
    auto result = [&](const std::string& dev, const std::string& addr) {
        for (const auto& x : rows)
            if (x.size() == 12 && x[1] == dev && x[4] == addr) return x[11];
        return std::string("(missing)");
    };
    BOOST_TEST(result("a", "0x10000040") == "0x90000040");
    BOOST_TEST(result("a", "0x1000f800") == "0x9000f800");
    BOOST_TEST(result("a", "0x10010000") == "F_TRANSLATION");
    BOOST_TEST(result("b", "0x10000000") == "C_BAD_STE");
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(bad_captured_setup_is_located) {
    const fs::path d = temp_dir("captured-bad");
    write_image(d / "image.bin");
    std::ofstream(d / "t.csv") << "0,00:01.0,-,0x10000040,64,r\n0,00:02.0,-,0x10000040,64,r\n";
    auto error_of = [&](const std::string& from, const std::string& to) {
        std::string text = kPlatform;
        text.replace(text.find(from), from.size(), to);
        std::ofstream(d / "p.yaml") << text;
        return run_iommusim("run p.yaml --quiet --out out", d);
    };
    RunResult r = error_of("name: STRTAB_BASE,", "name: STRTAB_BASEX,");
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.out.find("'iommus[0].registers[0].name': no SMMUv3 register is called 'STRTAB_BASEX'") !=
               std::string::npos, r.out);
    r = error_of("file: image.bin", "file: missing.bin");
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.out.find("'memory.preload[0].file': cannot read") != std::string::npos, r.out);
    // Nothing allocates while every IOMMU is captured; a second, driver-set-up
    // SMMU allocates its stream table and queues from the overlapping region.
    r = error_of("alloc_base: 0x40000000", "alloc_base: 0x80000000");
    BOOST_TEST(r.code == 0, r.out);
    r = error_of("iommus:\n", "iommus:\n  - {name: smmu1}\n");
    BOOST_TEST(r.code == 0, r.out);
    {
        std::string text = kPlatform;
        text.replace(text.find("alloc_base: 0x40000000"), 22, "alloc_base: 0x80000000");
        text.replace(text.find("iommus:\n"), 8, "iommus:\n  - {name: smmu1}\n");
        std::ofstream(d / "p.yaml") << text;
        r = run_iommusim("run p.yaml --quiet --out out", d);
    }
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.out.find("'memory.alloc_base': the region the host software allocates from overlaps "
                          "memory.preload[0]") != std::string::npos, r.out);
    r = error_of("setup: captured", "setup: driver");
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.out.find("'iommus[0].registers': registers are for setup: captured") != std::string::npos, r.out);
    r = error_of("{offset: 0x20, value: 0x1}", "{offset: 0x22, value: 0x1}");
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.out.find("not aligned") != std::string::npos, r.out);
    fs::remove_all(d);
}
