#define BOOST_TEST_MODULE vmsa
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <ostream>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "models/common/pagetables/vmsa.h"
#include "models/common/pagetables/vmsa_builder.h"
#include "models/common/pagetables/vmsa_desc.h"

namespace iommusim::vmsa {
std::ostream& operator<<(std::ostream& os, Fault f) { return os << fault_name(f); }
std::ostream& operator<<(std::ostream& os, const Perms& p) {
    return os << "{r" << p.r << " w" << p.w << " xu" << p.x_user << " xp" << p.x_priv << " u" << p.user << " ns"
              << p.ns << "}";
}
}  // namespace iommusim::vmsa

using namespace iommusim::vmsa;

namespace {


// Simulated memory: 64-bit words in an unordered_map, plus a bump allocator
// for tables and a set of addresses whose reads abort.
struct TestMem {
    std::unordered_map<uint64_t, uint64_t> words;
    std::unordered_set<uint64_t> aborts;
    uint64_t next_alloc = 0x4000'0000;
    uint64_t reads = 0;
    uint64_t writes = 0;

    uint64_t get(uint64_t a) const {
        auto it = words.find(a);
        return it == words.end() ? 0 : it->second;
    }
    void set(uint64_t a, uint64_t v) { words[a] = v; }

    static bool read_cb(void* ctx, uint64_t a, uint64_t& d) {
        auto* m = static_cast<TestMem*>(ctx);
        m->reads++;
        if (!m->aborts.empty() && m->aborts.count(a)) return false;
        d = m->get(a);
        return true;
    }
    static uint64_t read64(void* ctx, uint64_t a) { return static_cast<TestMem*>(ctx)->get(a); }
    static void write64(void* ctx, uint64_t a, uint64_t v) {
        auto* m = static_cast<TestMem*>(ctx);
        m->writes++;
        if (v == 0)
            m->words.erase(a);
        else
            m->words[a] = v;
    }
    static uint64_t alloc(void* ctx, uint64_t bytes) {
        auto* m = static_cast<TestMem*>(ctx);
        const uint64_t a = (m->next_alloc + bytes - 1) & ~(bytes - 1);
        m->next_alloc = a + bytes;
        return a;
    }
    TableMemory table_memory() {
        TableMemory t;
        t.ctx = this;
        t.read64 = &read64;
        t.write64 = &write64;
        t.alloc_table = &alloc;
        return t;
    }
    WalkResult walk(const WalkConfig& c, uint64_t ia) { return iommusim::vmsa::walk(c, ia, &read_cb, this); }
    WalkResult walk_from(const WalkConfig& c, uint64_t ia, int level, uint64_t table, const Perms& inh) {
        return iommusim::vmsa::walk_from(c, ia, level, table, inh, &read_cb, this);
    }
};

WalkConfig s1(Granule g, unsigned tsz, uint64_t ttb, unsigned oas = 48) {
    WalkConfig c;
    c.stage = Stage::S1;
    c.granule = g;
    c.tsz = tsz;
    c.ttb = ttb;
    c.oas_bits = oas;
    return c;
}

WalkConfig s2(Granule g, unsigned tsz, unsigned sl0, uint64_t ttb, unsigned oas = 48) {
    WalkConfig c = s1(g, tsz, ttb, oas);
    c.stage = Stage::S2;
    c.sl0 = sl0;
    return c;
}

struct Step {
    int level;
    uint64_t addr;
    uint64_t desc;
};

void check_steps(const WalkResult& r, std::initializer_list<Step> exp) {
    BOOST_TEST_REQUIRE(r.nsteps == exp.size());
    unsigned i = 0;
    for (const Step& e : exp) {
        BOOST_TEST_CONTEXT("step " << i) {
            BOOST_TEST(r.steps[i].level == e.level);
            BOOST_TEST(r.steps[i].desc_addr == e.addr);
            BOOST_TEST(r.steps[i].desc == e.desc);
        }
        ++i;
    }
}

void check_leaf(const WalkResult& r, int level, uint64_t oa, uint64_t page_size) {
    BOOST_TEST(r.fault == Fault::None);
    BOOST_TEST(r.level == level);
    BOOST_TEST(r.oa == oa);
    BOOST_TEST(r.page_size == page_size);
}

void check_fault(const WalkResult& r, Fault f, int level, unsigned nsteps) {
    BOOST_TEST(r.fault == f);
    BOOST_TEST(r.level == level);
    BOOST_TEST(r.nsteps == nsteps);
}

// Leaf attribute bits used by the hand-written descriptors below.
//   stage 1: AF (bit 10) 0x400 | SH=11 (bits 9:8) 0x300 | AP=01 (bit 6) 0x40
//            -> page 0x743 (type 11), block 0x741 (type 01)
//   stage 2: AF 0x400 | SH=11 0x300 | S2AP=11 (bits 7:6) 0xC0 | MemAttr=1111 (bits 5:2) 0x3C
//            -> page 0x7FF, block 0x7FD
constexpr uint64_t kS1Page = 0x743, kS1Block = 0x741;
constexpr uint64_t kS2Page = 0x7FF, kS2Block = 0x7FD;

}  // namespace

// ---------------------------------------------------------------------------
// Basics
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(granule_and_sizes) {
    BOOST_TEST(granule_shift(Granule::G4K) == 12u);
    BOOST_TEST(granule_shift(Granule::G16K) == 14u);
    BOOST_TEST(granule_shift(Granule::G64K) == 16u);
    // 4K: 12 + 9*(3-level): 39, 30, 21, 12
    BOOST_TEST(level_shift(Granule::G4K, 0) == 39u);
    BOOST_TEST(level_shift(Granule::G4K, 1) == 30u);
    BOOST_TEST(level_shift(Granule::G4K, 2) == 21u);
    BOOST_TEST(level_shift(Granule::G4K, 3) == 12u);
    // 16K: 14 + 11*(3-level): 47, 36, 25, 14
    BOOST_TEST(level_shift(Granule::G16K, 0) == 47u);
    BOOST_TEST(level_shift(Granule::G16K, 1) == 36u);
    BOOST_TEST(level_shift(Granule::G16K, 2) == 25u);
    BOOST_TEST(level_shift(Granule::G16K, 3) == 14u);
    // 64K: 16 + 13*(3-level): 42, 29, 16
    BOOST_TEST(level_shift(Granule::G64K, 1) == 42u);
    BOOST_TEST(level_shift(Granule::G64K, 2) == 29u);
    BOOST_TEST(level_shift(Granule::G64K, 3) == 16u);

    // Blocks: 4K at levels 1 (1G) and 2 (2M); 16K at level 2 (32M); 64K at level 2 (512M).
    const bool exp4k[] = {false, true, true, true};
    const bool exp16k[] = {false, false, true, true};
    const bool exp64k[] = {false, false, true, true};
    for (int l = 0; l <= 3; ++l) {
        BOOST_TEST(leaf_allowed(Granule::G4K, l) == exp4k[l]);
        BOOST_TEST(leaf_allowed(Granule::G16K, l) == exp16k[l]);
        BOOST_TEST(leaf_allowed(Granule::G64K, l) == exp64k[l]);
    }

    const unsigned exp_bits[] = {32, 36, 40, 42, 44, 48, 52};
    for (unsigned e = 0; e < 7; ++e) {
        unsigned b = 0;
        BOOST_TEST(decode_pa_size(e, b));
        BOOST_TEST(b == exp_bits[e]);
    }
    unsigned b = 99;
    BOOST_TEST(!decode_pa_size(7, b));
    BOOST_TEST(b == 99u);
}

BOOST_AUTO_TEST_CASE(descriptor_bit_positions) {
    auto one = [](auto setter, uint64_t v) {
        VmsaDesc d;
        setter(d, v);
        return d.value;
    };
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_type(v); }, 3) == 0x3u);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_AttrIndx(v); }, 7) == 0x1Cu);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_MemAttr(v); }, 0xF) == 0x3Cu);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_NS(v); }, 1) == 0x20u);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_AP(v); }, 3) == 0xC0u);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_S2AP(v); }, 2) == 0x80u);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_SH(v); }, 3) == 0x300u);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_AF(v); }, 1) == 0x400u);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_nG(v); }, 1) == 0x800u);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_DBM(v); }, 1) == uint64_t{1} << 51);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_Contiguous(v); }, 1) == uint64_t{1} << 52);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_PXN(v); }, 1) == uint64_t{1} << 53);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_UXN(v); }, 1) == uint64_t{1} << 54);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_XN(v); }, 1) == uint64_t{1} << 54);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_S2XN(v); }, 3) == uint64_t{3} << 53);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_PXNTable(v); }, 1) == uint64_t{1} << 59);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_XNTable(v); }, 1) == uint64_t{1} << 60);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_UXNTable(v); }, 1) == uint64_t{1} << 60);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_APTable(v); }, 3) == uint64_t{3} << 61);
    BOOST_TEST(one([](VmsaDesc& d, uint64_t v) { d.set_NSTable(v); }, 1) == uint64_t{1} << 63);

    // Addresses: bits [47:lsb]; with 64K + 52-bit OA, OA[51:48] in bits [15:12].
    const VmsaDesc d{0xFFFF'FFFF'FFFF'FFFFull};
    BOOST_TEST(d.address(12, false) == 0x0000'FFFF'FFFF'F000ull);
    BOOST_TEST(d.address(21, false) == 0x0000'FFFF'FFE0'0000ull);
    BOOST_TEST(d.address(16, true) == 0x000F'FFFF'FFFF'0000ull);
    VmsaDesc e;
    e.set_address(0x000A'1234'5678'0000ull, true);  // OA[51:48]=0xA -> bits[15:12]
    BOOST_TEST(e.value == 0x0000'1234'5678'A000ull);
    BOOST_TEST(e.address(16, true) == 0x000A'1234'5678'0000ull);
    BOOST_TEST(VmsaDesc::make_table(0x8000'1000, false).value == 0x8000'1003ull);
}

// ---------------------------------------------------------------------------
// Start levels and configuration checks
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(stage1_start_levels) {
    struct V {
        Granule g;
        unsigned tsz;
        int level;
        unsigned index_bits;
    };
    // start level = 4 - ceil((inputsize - granule_shift) / stride);
    // index bits = inputsize - level_shift(start level).
    const V vs[] = {
        // 4K (shift 12, stride 9)
        {Granule::G4K, 16, 0, 9},   // 48-bit: ceil(36/9)=4 -> L0; 48-39=9
        {Granule::G4K, 24, 0, 1},   // 40-bit: ceil(28/9)=4 -> L0; 40-39=1 (2 entries)
        {Granule::G4K, 25, 1, 9},   // 39-bit: ceil(27/9)=3 -> L1; 39-30=9
        {Granule::G4K, 33, 1, 1},   // 31-bit: ceil(19/9)=3 -> L1; 31-30=1
        {Granule::G4K, 34, 2, 9},   // 30-bit: ceil(18/9)=2 -> L2; 30-21=9
        {Granule::G4K, 39, 2, 4},   // 25-bit: ceil(13/9)=2 -> L2; 25-21=4
        // 16K (shift 14, stride 11)
        {Granule::G16K, 16, 0, 1},  // 48-bit: ceil(34/11)=4 -> L0; 48-47=1
        {Granule::G16K, 17, 1, 11}, // 47-bit: ceil(33/11)=3 -> L1; 47-36=11
        {Granule::G16K, 27, 1, 1},  // 37-bit: ceil(23/11)=3 -> L1; 37-36=1
        {Granule::G16K, 28, 2, 11}, // 36-bit: ceil(22/11)=2 -> L2; 36-25=11
        {Granule::G16K, 38, 2, 1},  // 26-bit: ceil(12/11)=2 -> L2; 26-25=1
        {Granule::G16K, 39, 3, 11}, // 25-bit: ceil(11/11)=1 -> L3; 25-14=11
        // 64K (shift 16, stride 13)
        {Granule::G64K, 16, 1, 6},  // 48-bit: ceil(32/13)=3 -> L1; 48-42=6
        {Granule::G64K, 21, 1, 1},  // 43-bit: ceil(27/13)=3 -> L1; 43-42=1
        {Granule::G64K, 22, 2, 13}, // 42-bit: ceil(26/13)=2 -> L2; 42-29=13
        {Granule::G64K, 34, 2, 1},  // 30-bit: ceil(14/13)=2 -> L2; 30-29=1
        {Granule::G64K, 35, 3, 13}, // 29-bit: ceil(13/13)=1 -> L3; 29-16=13
        {Granule::G64K, 39, 3, 9},  // 25-bit: ceil(9/13)=1 -> L3; 25-16=9
    };
    for (const V& v : vs) {
        BOOST_TEST_CONTEXT("granule " << int(v.g) << " tsz " << v.tsz) {
            StartInfo si;
            BOOST_TEST(start_level(s1(v.g, v.tsz, 0), si) == Fault::None);
            BOOST_TEST(si.level == v.level);
            BOOST_TEST(si.index_bits == v.index_bits);
            BOOST_TEST(si.concat_tables == 1u);
            BOOST_TEST(si.table_bytes == (uint64_t{8} << v.index_bits));
        }
    }
    for (Granule g : {Granule::G4K, Granule::G16K, Granule::G64K}) {
        StartInfo si;
        BOOST_TEST(start_level(s1(g, 15, 0), si) == Fault::BadConfig);  // 49-bit input
        BOOST_TEST(start_level(s1(g, 40, 0), si) == Fault::BadConfig);  // 24-bit input
        BOOST_TEST(start_level(s1(g, 16, 0, 31), si) == Fault::BadConfig);  // output size
        BOOST_TEST(start_level(s1(g, 16, 0, 53), si) == Fault::BadConfig);
    }
}

BOOST_AUTO_TEST_CASE(stage2_start_levels_and_concatenation) {
    struct V {
        Granule g;
        unsigned tsz, sl0, oas;
        Fault f;
        int level;
        unsigned concat, index_bits;
    };
    // level = 2 - SL0 (4K) or 3 - SL0 (16K/64K);
    // n = inputsize - level_shift(level) must be in 1 .. stride+4;
    // concatenated tables = 2^(n - stride) when n > stride.
    const V vs[] = {
        // 4K, stride 9
        {Granule::G4K, 39, 0, 48, Fault::None, 2, 1, 4},       // 25-bit at L2: 25-21=4
        {Granule::G4K, 31, 0, 48, Fault::None, 2, 8, 12},      // 33-bit at L2: 33-21=12 -> 2^(12-9)=8 tables
        {Granule::G4K, 30, 0, 48, Fault::None, 2, 16, 13},     // 34-bit at L2: 34-21=13 -> 2^(13-9)=16 tables
        {Granule::G4K, 29, 0, 48, Fault::BadConfig, 0, 0, 0},  // 35-bit at L2: 14 > 13 (32 tables)
        {Granule::G4K, 25, 1, 48, Fault::None, 1, 1, 9},       // 39-bit at L1: 39-30=9
        {Granule::G4K, 24, 1, 48, Fault::None, 1, 2, 10},      // 40-bit at L1: 10 -> 2 tables
        {Granule::G4K, 21, 1, 48, Fault::None, 1, 16, 13},     // 43-bit at L1: 13 -> 16 tables
        {Granule::G4K, 20, 1, 48, Fault::BadConfig, 0, 0, 0},  // 44-bit at L1: 14 -> 32 tables
        {Granule::G4K, 34, 1, 48, Fault::BadConfig, 0, 0, 0},  // 30-bit at L1: 30-30=0 entries bits
        {Granule::G4K, 16, 2, 48, Fault::None, 0, 1, 9},       // 48-bit at L0: 48-39=9
        {Granule::G4K, 24, 2, 44, Fault::None, 0, 1, 1},       // 40-bit at L0: 1 (2 entries), PA 44 > 42
        {Granule::G4K, 24, 2, 40, Fault::BadConfig, 0, 0, 0},  // L0 start needs PA size > 42
        {Granule::G4K, 16, 3, 48, Fault::BadConfig, 0, 0, 0},  // SL0=3 reserved
        {Granule::G4K, 16, 2, 44, Fault::BadConfig, 0, 0, 0},  // 48-bit IPA > 44-bit PA
        // 16K, stride 11
        {Granule::G16K, 39, 0, 48, Fault::None, 3, 1, 11},     // 25-bit at L3: 25-14=11
        {Granule::G16K, 35, 0, 48, Fault::None, 3, 16, 15},    // 29-bit at L3: 15 -> 16 tables
        {Granule::G16K, 34, 0, 48, Fault::BadConfig, 0, 0, 0}, // 30-bit at L3: 16 -> 32 tables
        {Granule::G16K, 28, 1, 48, Fault::None, 2, 1, 11},     // 36-bit at L2: 36-25=11
        {Granule::G16K, 24, 1, 48, Fault::None, 2, 16, 15},    // 40-bit at L2: 15 -> 16 tables
        {Granule::G16K, 16, 2, 48, Fault::None, 1, 2, 12},     // 48-bit at L1: 48-36=12 -> 2 tables
        {Granule::G16K, 22, 2, 42, Fault::BadConfig, 0, 0, 0}, // L1 start needs PA size > 42
        // 64K, stride 13
        {Granule::G64K, 39, 0, 48, Fault::None, 3, 1, 9},      // 25-bit at L3: 25-16=9
        {Granule::G64K, 31, 0, 48, Fault::None, 3, 16, 17},    // 33-bit at L3: 17 -> 16 tables
        {Granule::G64K, 22, 1, 48, Fault::None, 2, 1, 13},     // 42-bit at L2: 42-29=13
        {Granule::G64K, 18, 1, 48, Fault::None, 2, 16, 17},    // 46-bit at L2: 17 -> 16 tables
        {Granule::G64K, 17, 1, 48, Fault::BadConfig, 0, 0, 0}, // 47-bit at L2: 18 -> 32 tables
        {Granule::G64K, 16, 2, 48, Fault::None, 1, 1, 6},      // 48-bit at L1: 48-42=6
        {Granule::G64K, 16, 2, 52, Fault::None, 1, 1, 6},      // 52-bit PA is fine with 64K
        {Granule::G64K, 31, 0, 32, Fault::BadConfig, 0, 0, 0}, // 33-bit IPA > 32-bit PA
    };
    for (const V& v : vs) {
        BOOST_TEST_CONTEXT("granule " << int(v.g) << " tsz " << v.tsz << " sl0 " << v.sl0 << " oas " << v.oas) {
            StartInfo si;
            BOOST_TEST(start_level(s2(v.g, v.tsz, v.sl0, 0, v.oas), si) == v.f);
            if (v.f == Fault::None) {
                BOOST_TEST(si.level == v.level);
                BOOST_TEST(si.concat_tables == v.concat);
                BOOST_TEST(si.index_bits == v.index_bits);
            }
        }
    }
    StartInfo si;
    // 4K, S2T0SZ=31 (33-bit IPA), SL0=0: 8 tables of 4 KiB = 0x8000 bytes.
    BOOST_TEST(start_level(s2(Granule::G4K, 31, 0, 0), si) == Fault::None);
    BOOST_TEST(si.table_bytes == 0x8000u);
}

BOOST_AUTO_TEST_CASE(ttb_address_size) {
    StartInfo si;
    // 40-bit output: a TTB at 2^40 = 0x100_0000_0000 is out of range, one page below is fine.
    BOOST_TEST(start_level(s1(Granule::G4K, 25, 0x100'0000'0000, 40), si) == Fault::AddressSize);
    BOOST_TEST(si.level == 1);  // still filled in
    BOOST_TEST(start_level(s1(Granule::G4K, 25, 0xFF'FFFF'F000, 40), si) == Fault::None);
    BOOST_TEST(start_level(s2(Granule::G4K, 24, 1, 0x100'0000'0000, 40), si) == Fault::AddressSize);
    // 52-bit output with 4K is capped to 48 bits: TTB 2^48 is out of range ...
    BOOST_TEST(start_level(s1(Granule::G4K, 16, uint64_t{1} << 48, 52), si) == Fault::AddressSize);
    BOOST_TEST(si.oas_bits == 48u);
    // ... while 64K carries 52 bits.
    BOOST_TEST(start_level(s1(Granule::G64K, 16, uint64_t{1} << 48, 52), si) == Fault::None);
    BOOST_TEST(si.oas_bits == 52u);

    TestMem m;
    WalkResult r = m.walk(s1(Granule::G4K, 25, 0x100'0000'0000, 40), 0x1000);
    check_fault(r, Fault::AddressSize, 0, 0);
    BOOST_TEST(m.reads == 0u);
    // Input-address range is checked before the TTB (Translation wins).
    r = m.walk(s1(Granule::G4K, 25, 0x100'0000'0000, 40), uint64_t{1} << 39);
    check_fault(r, Fault::Translation, 0, 0);
    // A bad configuration is reported first.
    r = m.walk(s1(Granule::G4K, 40, 0x100'0000'0000, 40), 0);
    check_fault(r, Fault::BadConfig, 0, 0);
}

// ---------------------------------------------------------------------------
// Stage 1 walks
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(s1_4k_48bit_all_leaf_sizes) {
    // T0SZ=16: 48-bit input, start level 0.
    // ia = 0x1234_5678_9ABC:
    //   L0 index ia[47:39] = ia >> 39 = 0x24
    //   L1 index ia[38:30] = (ia >> 30) & 0x1FF = 0x48D1 & 0x1FF = 0xD1
    //   L2 index ia[29:21] = (ia >> 21) & 0x1FF = 0x91A2B3 & 0x1FF = 0xB3
    //   L3 index ia[20:12] = 0x1_2345_6789 & 0x1FF = 0x189, page offset 0xABC
    const uint64_t ia = 0x1234'5678'9ABC;
    const WalkConfig c = s1(Granule::G4K, 16, 0x1000'0000);
    TestMem m;
    m.set(0x1000'0120, 0x1000'1003);  // 0x1000_0000 + 0x24*8;  table -> 0x1000_1000
    m.set(0x1000'1688, 0x1000'2003);  // 0x1000_1000 + 0xD1*8 (0x688); table -> 0x1000_2000
    m.set(0x1000'2598, 0x1000'3003);  // 0x1000_2000 + 0xB3*8 (0x598); table -> 0x1000_3000
    m.set(0x1000'3C48, 0x8'9ABC'D000 | kS1Page);  // 0x1000_3000 + 0x189*8 (0xC48)

    WalkResult r = m.walk(c, ia);
    check_leaf(r, 3, 0x8'9ABC'DABC, 0x1000);  // 0x8_9ABC_D000 | 0xABC
    check_steps(r, {{0, 0x1000'0120, 0x1000'1003},
                    {1, 0x1000'1688, 0x1000'2003},
                    {2, 0x1000'2598, 0x1000'3003},
                    {3, 0x1000'3C48, 0x8'9ABC'D000 | kS1Page}});
    BOOST_TEST(r.steps[0].is_table);
    BOOST_TEST(r.steps[0].next_table == 0x1000'1000u);
    BOOST_TEST(r.steps[2].next_table == 0x1000'3000u);
    BOOST_TEST(!r.steps[3].is_table);
    BOOST_TEST(r.leaf_desc == (0x8'9ABC'D000 | kS1Page));
    BOOST_TEST(r.af);

    // 2M block at level 2: OA = 0x2_0060_0000 | ia[20:0] (0x18_9ABC) = 0x2_0078_9ABC.
    m.set(0x1000'2598, 0x2'0060'0000 | kS1Block);
    r = m.walk(c, ia);
    check_leaf(r, 2, 0x2'0078'9ABC, 0x20'0000);
    BOOST_TEST(r.nsteps == 3u);

    // 1G block at level 1: OA = 0x40_C000_0000 | ia[29:0] (0x1678_9ABC) = 0x40_D678_9ABC.
    m.set(0x1000'1688, 0x40'C000'0000 | kS1Block);
    r = m.walk(c, ia);
    check_leaf(r, 1, 0x40'D678'9ABC, 0x4000'0000);
    check_steps(r, {{0, 0x1000'0120, 0x1000'1003}, {1, 0x1000'1688, 0x40'C000'0000 | kS1Block}});

    // Block bits below the block size (RES0) are ignored: 0x40_C000_0000 + 0x1F_F000 junk.
    m.set(0x1000'1688, 0x40'C01F'F000 | kS1Block);
    r = m.walk(c, ia);
    check_leaf(r, 1, 0x40'D678'9ABC, 0x4000'0000);

    // A block at level 0 (512G) is not allowed with 4K: Translation fault at level 0.
    m.set(0x1000'0120, 0x80'0000'0000 | kS1Block);
    r = m.walk(c, ia);
    check_fault(r, Fault::Translation, 0, 1);
}

BOOST_AUTO_TEST_CASE(s1_4k_invalid_and_reserved_descriptors) {
    const uint64_t ia = 0x1234'5678'9ABC;  // same indices as above
    const WalkConfig c = s1(Granule::G4K, 16, 0x1000'0000);
    TestMem m;
    // Invalid (0) at level 0.
    WalkResult r = m.walk(c, ia);
    check_fault(r, Fault::Translation, 0, 1);
    BOOST_TEST(r.steps[0].desc_addr == 0x1000'0120u);
    m.set(0x1000'0120, 0x1000'1003);
    // Bit 0 clear but other bits set is still invalid (0b10).
    m.set(0x1000'1688, 0x1000'2002);
    r = m.walk(c, ia);
    check_fault(r, Fault::Translation, 1, 2);
    m.set(0x1000'1688, 0x1000'2003);
    r = m.walk(c, ia);
    check_fault(r, Fault::Translation, 2, 3);
    m.set(0x1000'2598, 0x1000'3003);
    r = m.walk(c, ia);
    check_fault(r, Fault::Translation, 3, 4);
    // Type 01 at level 3 is reserved.
    m.set(0x1000'3C48, 0x8'9ABC'D000 | kS1Block);
    r = m.walk(c, ia);
    check_fault(r, Fault::Translation, 3, 4);
    m.set(0x1000'3C48, 0x8'9ABC'D000 | kS1Page);
    r = m.walk(c, ia);
    check_leaf(r, 3, 0x8'9ABC'DABC, 0x1000);
    // Input address beyond 48 bits: Translation fault before any read.
    m.reads = 0;
    r = m.walk(c, uint64_t{1} << 48 | ia);
    check_fault(r, Fault::Translation, 0, 0);
    BOOST_TEST(m.reads == 0u);
}

BOOST_AUTO_TEST_CASE(s1_4k_other_start_levels) {
    TestMem m;
    {
        // T0SZ=25: 39-bit input, start level 1 (9 index bits).
        // ia = 0x12_3456_7ABC: L1 ia[38:30] = 0x48; L2 ia[29:21] = 0x1A2; L3 ia[20:12] = 0x167.
        const WalkConfig c = s1(Granule::G4K, 25, 0x2000'0000);
        m.set(0x2000'0240, 0x2000'1003);           // 0x2000_0000 + 0x48*8
        m.set(0x2000'1D10, 0x2000'2003);           // 0x2000_1000 + 0x1A2*8 (0xD10)
        m.set(0x2000'2B38, 0x7'0000'0000 | kS1Page);  // 0x2000_2000 + 0x167*8 (0xB38)
        WalkResult r = m.walk(c, 0x12'3456'7ABC);
        check_leaf(r, 3, 0x7'0000'0ABC, 0x1000);
        check_steps(r, {{1, 0x2000'0240, 0x2000'1003},
                        {2, 0x2000'1D10, 0x2000'2003},
                        {3, 0x2000'2B38, 0x7'0000'0000 | kS1Page}});
        // 2^39 is outside the 39-bit input range.
        check_fault(m.walk(c, uint64_t{1} << 39), Fault::Translation, 0, 0);
        // 1G block at the start level: OA = 0x1_0000_0000 | ia[29:0] (0x3456_7ABC & 0x3FFF_FFFF = 0x3456_7ABC).
        m.set(0x2000'0240, 0x1'0000'0000 | kS1Block);
        check_leaf(m.walk(c, 0x12'3456'7ABC), 1, 0x1'3456'7ABC, 0x4000'0000);
    }
    {
        // T0SZ=34: 30-bit input, start level 2.
        // ia = 0x2345_6789: L2 ia[29:21] = 0x11A; L3 ia[20:12] = 0x56.
        const WalkConfig c = s1(Granule::G4K, 34, 0x3000'0000);
        m.set(0x3000'08D0, 0x3000'1003);              // 0x3000_0000 + 0x11A*8 (0x8D0)
        m.set(0x3000'12B0, 0x5'5555'5000 | kS1Page);  // 0x3000_1000 + 0x56*8 (0x2B0)
        WalkResult r = m.walk(c, 0x2345'6789);
        check_leaf(r, 3, 0x5'5555'5789, 0x1000);
        check_steps(r, {{2, 0x3000'08D0, 0x3000'1003}, {3, 0x3000'12B0, 0x5'5555'5000 | kS1Page}});
    }
    {
        // T0SZ=24: 40-bit input, start level 0 with only 2 entries (ia[39]).
        // ia = 0x80_4000_0000 -> L0 index 1 (TTB+8), L1 index ia[38:30] = 1 (+8).
        const WalkConfig c = s1(Granule::G4K, 24, 0x3100'0000);
        m.set(0x3100'0008, 0x3100'1003);
        m.set(0x3100'1008, 0xC000'0000 | kS1Block);
        WalkResult r = m.walk(c, 0x80'4000'0123);
        check_leaf(r, 1, 0xC000'0123, 0x4000'0000);
        check_steps(r, {{0, 0x3100'0008, 0x3100'1003}, {1, 0x3100'1008, 0xC000'0000 | kS1Block}});
        // A TTB with low bits set inside the 16-byte root: they read as zero.
        WalkConfig c2 = c;
        c2.ttb = 0x3100'0008;
        check_leaf(m.walk(c2, 0x80'4000'0123), 1, 0xC000'0123, 0x4000'0000);
    }
}

BOOST_AUTO_TEST_CASE(s1_16k_walks) {
    TestMem m;
    {
        // T0SZ=16: 48-bit input, 16K start level 0 with 2 entries (ia[47]).
        // ia = 0x8765_4321_0FED:
        //   L0 ia[47]     = 1
        //   L1 ia[46:36]  = 0x876 & 0x7FF = 0x076
        //   L2 ia[35:25]  = (ia >> 25) & 0x7FF = 0x43B2A1 & 0x7FF = 0x2A1
        //   L3 ia[24:14]  = (ia >> 14) & 0x7FF = 0x484, offset ia[13:0] = 0x0FED
        const uint64_t ia = 0x8765'4321'0FED;
        const WalkConfig c = s1(Granule::G16K, 16, 0x1000'0000);
        m.set(0x1000'0008, 0x1000'4003);  // 0x1000_0000 + 1*8; table -> 0x1000_4000
        m.set(0x1000'43B0, 0x1000'8003);  // 0x1000_4000 + 0x76*8 (0x3B0)
        m.set(0x1000'9508, 0x1000'C003);  // 0x1000_8000 + 0x2A1*8 (0x1508)
        m.set(0x1000'E420, 0xA'BCDE'C000 | kS1Page);  // 0x1000_C000 + 0x484*8 (0x2420)
        WalkResult r = m.walk(c, ia);
        check_leaf(r, 3, 0xA'BCDE'CFED, 0x4000);  // 0xA_BCDE_C000 | 0xFED
        check_steps(r, {{0, 0x1000'0008, 0x1000'4003},
                        {1, 0x1000'43B0, 0x1000'8003},
                        {2, 0x1000'9508, 0x1000'C003},
                        {3, 0x1000'E420, 0xA'BCDE'C000 | kS1Page}});
        // 32M block at level 2: OA = 0x6_0200_0000 | ia[24:0] (0x121_0FED) = 0x6_0321_0FED.
        m.set(0x1000'9508, 0x6'0200'0000 | kS1Block);
        check_leaf(m.walk(c, ia), 2, 0x6'0321'0FED, 0x200'0000);
        // A 64G block at level 1 is not allowed with 16K (needs LPA2).
        m.set(0x1000'43B0, 0x10'0000'0000 | kS1Block);
        check_fault(m.walk(c, ia), Fault::Translation, 1, 2);
        // Table address bits [13:12] are RES0 for 16K and ignored.
        m.set(0x1000'43B0, 0x1000'B003);  // 0x1000_B000 -> table 0x1000_8000
        check_leaf(m.walk(c, ia), 2, 0x6'0321'0FED, 0x200'0000);
    }
    {
        // T0SZ=17: 47-bit input, start level 1 with 11 index bits.
        // ia = 0x7654_3210_FEDC: L1 ia[46:36] = 0x765; L2 ia[35:25] = 0x219; L3 ia[24:14] = 0x043.
        const WalkConfig c = s1(Granule::G16K, 17, 0x2000'0000);
        m.set(0x2000'3B28, 0x2000'4003);           // 0x2000_0000 + 0x765*8 (0x3B28)
        m.set(0x2000'50C8, 0x2000'8003);           // 0x2000_4000 + 0x219*8 (0x10C8)
        m.set(0x2000'8218, 0x1'0000'4000 | kS1Page);  // 0x2000_8000 + 0x43*8 (0x218)
        WalkResult r = m.walk(c, 0x7654'3210'FEDC);
        // offset ia[13:0] = 0x0FEDC & 0x3FFF = 0x3EDC
        check_leaf(r, 3, 0x1'0000'7EDC, 0x4000);
        check_steps(r, {{1, 0x2000'3B28, 0x2000'4003},
                        {2, 0x2000'50C8, 0x2000'8003},
                        {3, 0x2000'8218, 0x1'0000'4000 | kS1Page}});
    }
    {
        // T0SZ=28: 36-bit input, start level 2. ia = 0xA_BCDE_F123: L2 0x55E; L3 0x37B.
        const WalkConfig c = s1(Granule::G16K, 28, 0x3000'0000);
        m.set(0x3000'2AF0, 0x3000'4003);              // 0x3000_0000 + 0x55E*8 (0x2AF0)
        m.set(0x3000'5BD8, 0x2'2222'0000 | kS1Page);  // 0x3000_4000 + 0x37B*8 (0x1BD8)
        WalkResult r = m.walk(c, 0xA'BCDE'F123);
        check_leaf(r, 3, 0x2'2222'3123, 0x4000);  // offset ia[13:0] = 0x3123
        BOOST_TEST(r.nsteps == 2u);
        BOOST_TEST(r.steps[0].desc_addr == 0x3000'2AF0u);
    }
    {
        // T0SZ=39: 25-bit input, start level 3. ia = 0x1AB_CDEF: L3 ia[24:14] = 0x6AF.
        const WalkConfig c = s1(Granule::G16K, 39, 0x3100'0000);
        m.set(0x3100'3578, 0x9'8765'4000 | kS1Page);  // 0x3100_0000 + 0x6AF*8 (0x3578)
        WalkResult r = m.walk(c, 0x1AB'CDEF);
        check_leaf(r, 3, 0x9'8765'4DEF, 0x4000);  // offset 0x1AB_CDEF & 0x3FFF = 0xDEF
        check_steps(r, {{3, 0x3100'3578, 0x9'8765'4000 | kS1Page}});
    }
}

BOOST_AUTO_TEST_CASE(s1_64k_walks) {
    TestMem m;
    {
        // T0SZ=16: 48-bit input, 64K start level 1 with 6 index bits.
        // ia = 0xFEDC_BA98_7654: L1 ia[47:42] = 0x3F; L2 ia[41:29] = 0x16E5; L3 ia[28:16] = 0x1A98.
        const uint64_t ia = 0xFEDC'BA98'7654;
        const WalkConfig c = s1(Granule::G64K, 16, 0x1000'0000);
        m.set(0x1000'01F8, 0x1001'0003);              // 0x1000_0000 + 0x3F*8 (0x1F8)
        m.set(0x1001'B728, 0x1002'0003);              // 0x1001_0000 + 0x16E5*8 (0xB728)
        m.set(0x1002'D4C0, 0x3'0005'0000 | kS1Page);  // 0x1002_0000 + 0x1A98*8 (0xD4C0)
        WalkResult r = m.walk(c, ia);
        check_leaf(r, 3, 0x3'0005'7654, 0x1'0000);  // offset ia[15:0] = 0x7654
        check_steps(r, {{1, 0x1000'01F8, 0x1001'0003},
                        {2, 0x1001'B728, 0x1002'0003},
                        {3, 0x1002'D4C0, 0x3'0005'0000 | kS1Page}});
        // 512M block at level 2: OA = 0x8_0000_0000 | ia[28:0] (0x1A98_7654) = 0x8_1A98_7654.
        m.set(0x1001'B728, 0x8'0000'0000 | kS1Block);
        check_leaf(m.walk(c, ia), 2, 0x8'1A98'7654, 0x2000'0000);
        // 4T block at level 1 needs 52-bit OA (FEAT_LPA): not modelled, Translation.
        m.set(0x1000'01F8, 0x400'0000'0000 | kS1Block);
        check_fault(m.walk(c, ia), Fault::Translation, 1, 1);
    }
    {
        // T0SZ=22: 42-bit input, start level 2 (13 bits). ia = 0x3FF_1234_5678: L2 0x1FF8; L3 0x1234.
        const WalkConfig c = s1(Granule::G64K, 22, 0x2000'0000);
        m.set(0x2000'FFC0, 0x2001'0003);              // 0x2000_0000 + 0x1FF8*8 (0xFFC0)
        m.set(0x2001'91A0, 0x4'0000'0000 | kS1Page);  // 0x2001_0000 + 0x1234*8 (0x91A0)
        WalkResult r = m.walk(c, 0x3FF'1234'5678);
        check_leaf(r, 3, 0x4'0000'5678, 0x1'0000);
        check_steps(r, {{2, 0x2000'FFC0, 0x2001'0003}, {3, 0x2001'91A0, 0x4'0000'0000 | kS1Page}});
    }
    {
        // T0SZ=35: 29-bit input, start level 3 (13 bits). ia = 0x1ABC_DEF0: L3 0x1ABC.
        const WalkConfig c = s1(Granule::G64K, 35, 0x3000'0000);
        m.set(0x3000'D5E0, 0x1234'0000 | kS1Page);  // 0x3000_0000 + 0x1ABC*8 (0xD5E0)
        WalkResult r = m.walk(c, 0x1ABC'DEF0);
        check_leaf(r, 3, 0x1234'DEF0, 0x1'0000);
        check_steps(r, {{3, 0x3000'D5E0, 0x1234'0000 | kS1Page}});
        check_fault(m.walk(c, 0x2000'0000), Fault::Translation, 0, 0);  // 2^29
    }
}

// ---------------------------------------------------------------------------
// Stage 2 walks (concatenated start tables)
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(s2_4k_walks) {
    TestMem m;
    {
        // S2T0SZ=24 (40-bit IPA), S2SL0=1: start level 1, 40-30 = 10 index bits ->
        // two concatenated 4K tables (8 KiB). ia = 0xC0_1234_5678:
        //   L1 ia[39:30] = 0x300 (768: entry 256 of the second table)
        //   L2 ia[29:21] = 0x91; L3 ia[20:12] = 0x145; offset 0x678
        const WalkConfig c = s2(Granule::G4K, 24, 1, 0x2000'0000);
        m.set(0x2000'1800, 0x2100'0003);              // 0x2000_0000 + 0x300*8 (0x1800)
        m.set(0x2100'0488, 0x2100'1003);              // 0x2100_0000 + 0x91*8 (0x488)
        m.set(0x2100'1A28, 0xE'0000'0000 | kS2Page);  // 0x2100_1000 + 0x145*8 (0xA28)
        WalkResult r = m.walk(c, 0xC0'1234'5678);
        check_leaf(r, 3, 0xE'0000'0678, 0x1000);
        check_steps(r, {{1, 0x2000'1800, 0x2100'0003},
                        {2, 0x2100'0488, 0x2100'1003},
                        {3, 0x2100'1A28, 0xE'0000'0000 | kS2Page}});
        // 1G block at the (concatenated) start level: OA = 0x80_0000_0000 | ia[29:0] (0x1234_5678).
        m.set(0x2000'1800, 0x80'0000'0000 | kS2Block);
        check_leaf(m.walk(c, 0xC0'1234'5678), 1, 0x80'1234'5678, 0x4000'0000);
        // 2M block: OA = 0x3_0000_0000 | ia[20:0] (0x14_5678).
        m.set(0x2000'1800, 0x2100'0003);
        m.set(0x2100'0488, 0x3'0000'0000 | kS2Block);
        check_leaf(m.walk(c, 0xC0'1234'5678), 2, 0x3'0014'5678, 0x20'0000);
        check_fault(m.walk(c, uint64_t{1} << 40), Fault::Translation, 0, 0);
    }
    {
        // S2T0SZ=30 (34-bit IPA), S2SL0=0: start level 2, 34-21 = 13 bits -> 16 tables.
        // ia = 0x3_2345_6000: L2 ia[33:21] = 0x191A; L3 ia[20:12] = 0x56.
        const WalkConfig c = s2(Granule::G4K, 30, 0, 0x3000'0000);
        m.set(0x3000'C8D0, 0x3001'0003);              // 0x3000_0000 + 0x191A*8 (0xC8D0)
        m.set(0x3001'02B0, 0x1'2345'6000 | kS2Page);  // 0x3001_0000 + 0x56*8 (0x2B0)
        WalkResult r = m.walk(c, 0x3'2345'6000);
        check_leaf(r, 3, 0x1'2345'6000, 0x1000);
        check_steps(r, {{2, 0x3000'C8D0, 0x3001'0003}, {3, 0x3001'02B0, 0x1'2345'6000 | kS2Page}});
    }
    {
        // S2T0SZ=16 (48-bit IPA), S2SL0=2: start level 0, 9 bits, 4 levels.
        // ia = 0xABCD_1234_5000: L0 0x157; L1 0x134; L2 0x91; L3 0x145.
        const WalkConfig c = s2(Granule::G4K, 16, 2, 0x4000'0000);
        m.set(0x4000'0AB8, 0x4000'1003);  // 0x4000_0000 + 0x157*8 (0xAB8)
        m.set(0x4000'19A0, 0x4000'2003);  // 0x4000_1000 + 0x134*8 (0x9A0)
        m.set(0x4000'2488, 0x4000'3003);  // 0x4000_2000 + 0x91*8 (0x488)
        m.set(0x4000'3A28, 0xF'FFFF'F000 | kS2Page);  // 0x4000_3000 + 0x145*8 (0xA28)
        WalkResult r = m.walk(c, 0xABCD'1234'5000);
        check_leaf(r, 3, 0xF'FFFF'F000, 0x1000);
        BOOST_TEST(r.nsteps == 4u);
        BOOST_TEST(r.steps[0].desc_addr == 0x4000'0AB8u);
        BOOST_TEST(r.steps[3].desc_addr == 0x4000'3A28u);
    }
}

BOOST_AUTO_TEST_CASE(s2_16k_64k_walks) {
    TestMem m;
    {
        // 16K, S2T0SZ=16 (48-bit IPA), S2SL0=2: start level 1, 48-36 = 12 bits -> 2 tables (32 KiB).
        // ia = 0xF000_0000_4000: L1 ia[47:36] = 0xF00 (entry 0x700 of the second table);
        // L2 ia[35:25] = 0; L3 ia[24:14] = 1.
        const WalkConfig c = s2(Granule::G16K, 16, 2, 0x1000'0000);
        m.set(0x1000'7800, 0x1001'0003);              // 0x1000_0000 + 0xF00*8 (0x7800)
        m.set(0x1001'0000, 0x1001'4003);              // 0x1001_0000 + 0
        m.set(0x1001'4008, 0x5'0000'C000 | kS2Page);  // 0x1001_4000 + 1*8
        WalkResult r = m.walk(c, 0xF000'0000'4000);
        check_leaf(r, 3, 0x5'0000'C000, 0x4000);
        check_steps(r, {{1, 0x1000'7800, 0x1001'0003},
                        {2, 0x1001'0000, 0x1001'4003},
                        {3, 0x1001'4008, 0x5'0000'C000 | kS2Page}});
        // 32M block at level 2: OA = 0x6_0000_0000 | ia[24:0] (0x4000).
        m.set(0x1001'0000, 0x6'0000'0000 | kS2Block);
        check_leaf(m.walk(c, 0xF000'0000'4000), 2, 0x6'0000'4000, 0x200'0000);
    }
    {
        // 16K, S2T0SZ=35 (29-bit IPA), S2SL0=0: start level 3, 29-14 = 15 bits -> 16 tables.
        // ia = 0x1FFF_C123: L3 ia[28:14] = 0x7FFF (last entry of the 16th table).
        const WalkConfig c = s2(Granule::G16K, 35, 0, 0x2000'0000);
        m.set(0x2003'FFF8, 0x7'7777'4000 | kS2Page);  // 0x2000_0000 + 0x7FFF*8 (0x3FFF8)
        WalkResult r = m.walk(c, 0x1FFF'C123);
        check_leaf(r, 3, 0x7'7777'4123, 0x4000);  // offset ia[13:0] = 0x0123
        check_steps(r, {{3, 0x2003'FFF8, 0x7'7777'4000 | kS2Page}});
    }
    {
        // 64K, S2T0SZ=31 (33-bit IPA), S2SL0=0: start level 3, 33-16 = 17 bits -> 16 tables.
        // ia = 0x1_FFFF_0123: L3 ia[32:16] = 0x1FFFF.
        const WalkConfig c = s2(Granule::G64K, 31, 0, 0x3000'0000);
        m.set(0x300F'FFF8, 0x9'0001'0000 | kS2Page);  // 0x3000_0000 + 0x1FFFF*8 (0xF_FFF8)
        WalkResult r = m.walk(c, 0x1'FFFF'0123);
        check_leaf(r, 3, 0x9'0001'0123, 0x1'0000);
        check_steps(r, {{3, 0x300F'FFF8, 0x9'0001'0000 | kS2Page}});
    }
    {
        // 64K, S2T0SZ=18 (46-bit IPA), S2SL0=1: start level 2, 46-29 = 17 bits -> 16 tables.
        // ia = 0x3F12_3456_789A: L2 ia[45:29] = 0x1F891; L3 ia[28:16] = 0x1456.
        const WalkConfig c = s2(Granule::G64K, 18, 1, 0x4000'0000);
        m.set(0x400F'C488, 0x4010'0003);              // 0x4000_0000 + 0x1F891*8 (0xF_C488)
        m.set(0x4010'A2B0, 0x2'0000'0000 | kS2Page);  // 0x4010_0000 + 0x1456*8 (0xA2B0)
        WalkResult r = m.walk(c, 0x3F12'3456'789A);
        check_leaf(r, 3, 0x2'0000'789A, 0x1'0000);
        check_steps(r, {{2, 0x400F'C488, 0x4010'0003}, {3, 0x4010'A2B0, 0x2'0000'0000 | kS2Page}});
        // 512M block at the start level: OA = 0x20_0000_0000 | ia[28:0] (0x1456_789A).
        m.set(0x400F'C488, 0x20'0000'0000 | kS2Block);
        check_leaf(m.walk(c, 0x3F12'3456'789A), 2, 0x20'1456'789A, 0x2000'0000);
    }
}

// ---------------------------------------------------------------------------
// Address size
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(address_size_faults) {
    TestMem m;
    // 4K, T0SZ=25 (start level 1), 40-bit output; ia = 0: every index 0.
    const WalkConfig c = s1(Granule::G4K, 25, 0x1000'0000, 40);
    m.set(0x1000'0000, 0x100'0000'0000 | 3);  // table at 2^40: out of range
    check_fault(m.walk(c, 0), Fault::AddressSize, 1, 1);
    m.set(0x1000'0000, 0x1000'1003);
    m.set(0x1000'1000, 0xFF'FFFF'F000 | 3);  // table just below 2^40 is fine ...
    m.set(0xFF'FFFF'F000, 0x100'0000'0000 | kS1Page);  // ... but its page is at 2^40
    check_fault(m.walk(c, 0), Fault::AddressSize, 3, 3);
    m.set(0xFF'FFFF'F000, 0xFF'FFFF'F000 | kS1Page);
    check_leaf(m.walk(c, 0x123), 3, 0xFF'FFFF'F123, 0x1000);
    // Block output address out of range.
    m.set(0x1000'1000, 0x200'0000'0000 | kS1Block);
    check_fault(m.walk(c, 0), Fault::AddressSize, 2, 2);
    // The same descriptor is fine with a 44-bit output.
    check_leaf(m.walk(s1(Granule::G4K, 25, 0x1000'0000, 44), 0), 2, 0x200'0000'0000, 0x20'0000);

    // 64K: descriptor bits [15:12] are OA[51:48] with a 52-bit output, and must be
    // zero otherwise. T0SZ=35 (start level 3), ia = 0x1'0005 -> L3 index 1 (+8).
    const uint64_t d = 0x1234'0000 | 0x5000 | kS1Page;  // bits [15:12] = 5
    m.set(0x2000'0008, d);
    check_fault(m.walk(s1(Granule::G64K, 35, 0x2000'0000, 48), 0x1'0005), Fault::AddressSize, 3, 1);
    // 52-bit: OA = 5 << 48 | 0x1234_0000 | 0x0005
    check_leaf(m.walk(s1(Granule::G64K, 35, 0x2000'0000, 52), 0x1'0005), 3, 0x0005'0000'1234'0005, 0x1'0000);
    // Table descriptors too: a 64K table with bits [15:12] set (T0SZ=22, start level 2).
    m.set(0x2100'0000, 0x2200'0000 | 0x1000 | 3);
    m.set(0x2200'0000, 0x1234'0000 | kS1Page);
    check_fault(m.walk(s1(Granule::G64K, 22, 0x2100'0000, 48), 0), Fault::AddressSize, 2, 1);
    // With 52 bits that table is at 1 << 48 | 0x2200_0000: read there.
    m.set((uint64_t{1} << 48) | 0x2200'0000, 0x4321'0000 | kS1Page);
    check_leaf(m.walk(s1(Granule::G64K, 22, 0x2100'0000, 52), 0), 3, 0x4321'0000, 0x1'0000);
    // 4K with a 52-bit output is capped at 48 bits: descriptor bits [51:48] are not address bits.
    m.set(0x3000'0000, (uint64_t{1} << 49) | 0x5000'0000 | kS1Block);  // bit 49 RES0 / ignored
    check_leaf(m.walk(s1(Granule::G4K, 34, 0x3000'0000, 52), 0x1234), 2, 0x5000'1234, 0x20'0000);
}

// ---------------------------------------------------------------------------
// Access flag and permissions
// ---------------------------------------------------------------------------

namespace {

// One-table stage-1 or stage-2 setup: 4K, T0SZ=34 (start level 2), ia 0:
// L2 table descriptor `tdesc_attrs | 0x5000_1003` at 0x5000_0000, leaf at 0x5000_1000.
WalkResult perm_walk(TestMem& m, const WalkConfig& c, uint64_t leaf, uint64_t table_attrs = 0) {
    m.set(0x5000'0000, table_attrs | 0x5000'1003);
    m.set(0x5000'1000, leaf);
    return m.walk(c, 0);
}

constexpr uint64_t kUXN = uint64_t{1} << 54, kPXN = uint64_t{1} << 53;
constexpr uint64_t kPXNTable = uint64_t{1} << 59, kXNTable = uint64_t{1} << 60;
constexpr uint64_t kAPTable0 = uint64_t{1} << 61, kAPTable1 = uint64_t{1} << 62, kNSTable = uint64_t{1} << 63;

// Stage-1 page with AF, SH=3, the given AP[2:1].
uint64_t s1page(uint64_t ap) { return 0x7000'0000 | 0x400 | 0x300 | (ap << 6) | 3; }

struct Acc {
    bool pr, pw, ur, uw, px, ux;  // expected "allowed" for priv/user read, write, exec
};

void check_perm_matrix(const WalkConfig& c, const WalkResult& r, const Acc& e) {
    auto ok = [&](bool w, bool x, bool priv) { return check_access(c, r, w, x, priv) == Fault::None; };
    BOOST_TEST(ok(false, false, true) == e.pr);
    BOOST_TEST(ok(true, false, true) == e.pw);
    BOOST_TEST(ok(false, false, false) == e.ur);
    BOOST_TEST(ok(true, false, false) == e.uw);
    BOOST_TEST(ok(false, true, true) == e.px);
    BOOST_TEST(ok(false, true, false) == e.ux);
    // Denials are Permission faults.
    for (int i = 0; i < 8; ++i) {
        const Fault f = check_access(c, r, i & 1, i & 2, i & 4);
        BOOST_TEST((f == Fault::None || f == Fault::Permission));
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(s1_ap_uxn_pxn) {
    TestMem m;
    const WalkConfig c = s1(Granule::G4K, 34, 0x5000'0000);
    //            priv R  priv W  user R  user W  priv X  user X
    // AP=00: EL1 RW, EL0 none. Execute-only at EL0 is allowed (UXN=0).
    check_perm_matrix(c, perm_walk(m, c, s1page(0b00)), {true, true, false, false, true, true});
    // AP=01: RW at both. Writable at EL0 -> implicitly PXN.
    check_perm_matrix(c, perm_walk(m, c, s1page(0b01)), {true, true, true, true, false, true});
    // AP=10: EL1 RO, EL0 none.
    check_perm_matrix(c, perm_walk(m, c, s1page(0b10)), {true, false, false, false, true, true});
    // AP=11: RO at both: not writable at EL0, so EL1 may execute.
    check_perm_matrix(c, perm_walk(m, c, s1page(0b11)), {true, false, true, false, true, true});
    // UXN / PXN with AP=10 (never EL0-writable).
    check_perm_matrix(c, perm_walk(m, c, s1page(0b10) | kUXN), {true, false, false, false, true, false});
    check_perm_matrix(c, perm_walk(m, c, s1page(0b10) | kPXN), {true, false, false, false, false, true});
    check_perm_matrix(c, perm_walk(m, c, s1page(0b10) | kUXN | kPXN), {true, false, false, false, false, false});
    // AP=01 with UXN: nobody executes (PXN implied by EL0 write).
    check_perm_matrix(c, perm_walk(m, c, s1page(0b01) | kUXN), {true, true, true, true, false, false});

    const WalkResult r = perm_walk(m, c, s1page(0b11) | kPXN);
    BOOST_TEST(r.perms.r);
    BOOST_TEST(!r.perms.w);
    BOOST_TEST(r.perms.user);
    BOOST_TEST(r.perms.x_user);
    BOOST_TEST(!r.perms.x_priv);
    // NS bit of the leaf.
    BOOST_TEST(perm_walk(m, c, s1page(0b11) | 0x20).perms.ns);
    BOOST_TEST(!r.perms.ns);
}

BOOST_AUTO_TEST_CASE(s1_table_attributes) {
    TestMem m;
    const WalkConfig c = s1(Granule::G4K, 34, 0x5000'0000);
    //            priv R  priv W  user R  user W  priv X  user X
    // APTable=01 (no EL0 access below): leaf AP=01 acts as AP=00, so no implicit PXN.
    check_perm_matrix(c, perm_walk(m, c, s1page(0b01), kAPTable0), {true, true, false, false, true, true});
    // APTable=10 (no write below): AP=01 acts as AP=11.
    check_perm_matrix(c, perm_walk(m, c, s1page(0b01), kAPTable1), {true, false, true, false, true, true});
    // APTable=11: AP acts as AP=10.
    check_perm_matrix(c, perm_walk(m, c, s1page(0b01), kAPTable0 | kAPTable1),
                      {true, false, false, false, true, true});
    // UXNTable / PXNTable (leaf AP=00 and no execute-never of its own).
    check_perm_matrix(c, perm_walk(m, c, s1page(0b00), kXNTable), {true, true, false, false, true, false});
    check_perm_matrix(c, perm_walk(m, c, s1page(0b00), kPXNTable), {true, true, false, false, false, true});
    // Table attributes only restrict: APTable=00 leaves AP=11 as is.
    check_perm_matrix(c, perm_walk(m, c, s1page(0b11), 0), {true, false, true, false, true, true});
    // NSTable propagates.
    BOOST_TEST(perm_walk(m, c, s1page(0b00), kNSTable).perms.ns);

    // Across several levels: 4K T0SZ=16, ia 0. APTable[0] at level 0, UXNTable at
    // level 1, nothing at level 2; leaf AP=01, UXN=0, PXN=0.
    const WalkConfig c4 = s1(Granule::G4K, 16, 0x6000'0000);
    m.set(0x6000'0000, kAPTable0 | 0x6000'1003);
    m.set(0x6000'1000, kXNTable | 0x6000'2003);
    m.set(0x6000'2000, 0x6000'3003);
    m.set(0x6000'3000, s1page(0b01));
    const WalkResult r = m.walk(c4, 0);
    BOOST_TEST_REQUIRE(r.nsteps == 4u);
    BOOST_TEST(!r.steps[0].inherited.user);
    BOOST_TEST(r.steps[0].inherited.x_user);
    BOOST_TEST(!r.steps[1].inherited.user);
    BOOST_TEST(!r.steps[1].inherited.x_user);
    BOOST_TEST(r.steps[2].inherited == r.steps[1].inherited);
    // EL0 has no data access (APTable[0]) and no execute (UXNTable); EL1 RW and,
    // as the region is not EL0-writable, executable.
    check_perm_matrix(c4, r, {true, true, false, false, true, false});
}

BOOST_AUTO_TEST_CASE(s2_s2ap_xn) {
    TestMem m;
    const WalkConfig c = s2(Granule::G4K, 34, 0, 0x5000'0000);
    // S2 page: AF | SH=3 | MemAttr=1111 | S2AP | XN[1:0] (bits 54:53).
    auto page = [](uint64_t s2ap, uint64_t xn) {
        return 0x7000'0000 | 0x400 | 0x300 | (s2ap << 6) | 0x3C | (xn << 53) | 3;
    };
    //            priv R  priv W  user R  user W  priv X  user X   (privilege = EL1/EL0 for XN)
    check_perm_matrix(c, perm_walk(m, c, page(0b00, 0)), {false, false, false, false, true, true});
    check_perm_matrix(c, perm_walk(m, c, page(0b01, 0)), {true, false, true, false, true, true});
    check_perm_matrix(c, perm_walk(m, c, page(0b10, 0)), {false, true, false, true, true, true});
    check_perm_matrix(c, perm_walk(m, c, page(0b11, 0)), {true, true, true, true, true, true});
    // XN[1:0] (FEAT_XNX): 00 both, 01 EL0 only, 10 none, 11 EL1 only.
    check_perm_matrix(c, perm_walk(m, c, page(0b11, 0b01)), {true, true, true, true, false, true});
    check_perm_matrix(c, perm_walk(m, c, page(0b11, 0b10)), {true, true, true, true, false, false});
    check_perm_matrix(c, perm_walk(m, c, page(0b11, 0b11)), {true, true, true, true, true, false});
    // Stage-2 table descriptors have no hierarchical attributes: bits 63:59 are ignored.
    const WalkResult r =
        perm_walk(m, c, page(0b11, 0), kNSTable | kAPTable1 | kAPTable0 | kXNTable | kPXNTable);
    check_perm_matrix(c, r, {true, true, true, true, true, true});
    BOOST_TEST(!r.perms.ns);
}

BOOST_AUTO_TEST_CASE(access_flag) {
    TestMem m;
    const uint64_t no_af = s1page(0b01) & ~uint64_t{0x400};
    WalkConfig c = s1(Granule::G4K, 34, 0x5000'0000);
    WalkResult r = perm_walk(m, c, no_af);
    BOOST_TEST(r.fault == Fault::None);  // the walk itself succeeds
    BOOST_TEST(!r.af);
    BOOST_TEST(check_access(c, r, false, false, true) == Fault::AccessFlag);
    BOOST_TEST(check_access(c, r, true, false, false) == Fault::AccessFlag);
    // AccessFlag has priority over Permission: AP=10 write without AF.
    const WalkResult ro = perm_walk(m, c, s1page(0b10) & ~uint64_t{0x400});
    BOOST_TEST(check_access(c, ro, true, false, true) == Fault::AccessFlag);
    // Stage-1 S2AFFD-style flag has no effect on stage 1.
    c.affd = true;
    BOOST_TEST(check_access(c, r, false, false, true) == Fault::AccessFlag);
    // Hardware AF update: no fault.
    c.ha = true;
    BOOST_TEST(check_access(c, r, false, false, true) == Fault::None);
    BOOST_TEST(check_access(c, ro, true, false, true) == Fault::Permission);

    WalkConfig c2 = s2(Granule::G4K, 34, 0, 0x5000'0000);
    const uint64_t s2_no_af = (0x7000'0000 | kS2Page) & ~uint64_t{0x400};
    r = perm_walk(m, c2, s2_no_af);
    BOOST_TEST(!r.af);
    BOOST_TEST(check_access(c2, r, false, false, false) == Fault::AccessFlag);
    c2.affd = true;  // STE.S2AFFD
    BOOST_TEST(check_access(c2, r, false, false, false) == Fault::None);
    c2.affd = false;
    c2.ha = true;  // STE.S2HA
    BOOST_TEST(check_access(c2, r, true, false, false) == Fault::None);

    // check_access on a faulted walk returns that fault.
    m.set(0x5000'0000, 0);
    r = m.walk(c2, 0);
    BOOST_TEST(check_access(c2, r, false, false, false) == Fault::Translation);
}

BOOST_AUTO_TEST_CASE(external_abort) {
    TestMem m;
    const uint64_t ia = 0x1234'5678'9ABC;  // 4K, 48-bit: see s1_4k_48bit_all_leaf_sizes
    const WalkConfig c = s1(Granule::G4K, 16, 0x1000'0000);
    m.set(0x1000'0120, 0x1000'1003);
    m.set(0x1000'1688, 0x1000'2003);
    m.set(0x1000'2598, 0x1000'3003);
    m.aborts.insert(0x1000'2598);
    WalkResult r = m.walk(c, ia);
    check_fault(r, Fault::ExternalAbort, 2, 2);  // aborted read is not a step
    BOOST_TEST(r.steps[1].desc_addr == 0x1000'1688u);
    m.aborts = {0x1000'0120};
    check_fault(m.walk(c, ia), Fault::ExternalAbort, 0, 0);
}

// ---------------------------------------------------------------------------
// Resuming from an intermediate table
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(walk_from_matches_walk) {
    TestMem m;
    const uint64_t ia = 0x1234'5678'9ABC;
    const WalkConfig c = s1(Granule::G4K, 16, 0x1000'0000);
    m.set(0x1000'0120, kAPTable1 | 0x1000'1003);  // read-only below
    m.set(0x1000'1688, kPXNTable | 0x1000'2003);
    m.set(0x1000'2598, 0x1000'3003);
    m.set(0x1000'3C48, 0x8'9ABC'D000 | kS1Page);
    const WalkResult full = m.walk(c, ia);
    BOOST_TEST_REQUIRE(full.fault == Fault::None);
    BOOST_TEST_REQUIRE(full.nsteps == 4u);
    BOOST_TEST(!full.perms.w);
    BOOST_TEST(!full.perms.x_priv);

    for (unsigned i = 0; i < 3; ++i) {
        const WalkStep& s = full.steps[i];
        BOOST_TEST_CONTEXT("resume after step " << i) {
            BOOST_TEST_REQUIRE(s.is_table);
            m.reads = 0;
            const WalkResult r = m.walk_from(c, ia, s.level + 1, s.next_table, s.inherited);
            BOOST_TEST(r.fault == Fault::None);
            BOOST_TEST(r.oa == full.oa);
            BOOST_TEST(r.level == full.level);
            BOOST_TEST(r.page_size == full.page_size);
            BOOST_TEST(r.leaf_desc == full.leaf_desc);
            BOOST_TEST(r.perms == full.perms);
            BOOST_TEST(r.nsteps == 3 - i);
            BOOST_TEST(m.reads == 3 - i);
            for (unsigned k = 0; k < r.nsteps; ++k) {
                BOOST_TEST(r.steps[k].desc_addr == full.steps[i + 1 + k].desc_addr);
                BOOST_TEST(r.steps[k].level == full.steps[i + 1 + k].level);
            }
        }
    }
    // Without the inherited attributes the resumed walk would grant write.
    BOOST_TEST(m.walk_from(c, ia, 3, 0x1000'3000, Perms::all()).perms.w);
    // Resuming at the start level with the TTB is a full walk.
    const WalkResult r0 = m.walk_from(c, ia, 0, 0x1000'0000, Perms::all());
    BOOST_TEST(r0.nsteps == 4u);
    BOOST_TEST(r0.perms == full.perms);
    // Levels outside start level..3.
    BOOST_TEST(m.walk_from(c, ia, 4, 0x1000'3000, Perms::all()).fault == Fault::BadConfig);
    const WalkConfig c39 = s1(Granule::G4K, 25, 0x1000'0000);  // starts at level 1
    BOOST_TEST(m.walk_from(c39, 0, 0, 0x1000'0000, Perms::all()).fault == Fault::BadConfig);
    // Out-of-range input address.
    BOOST_TEST(m.walk_from(c, uint64_t{1} << 48, 3, 0x1000'3000, Perms::all()).fault == Fault::Translation);

    // Stage 2 with a concatenated start level (4K, 40-bit IPA, SL0=1): see s2_4k_walks.
    const WalkConfig c2 = s2(Granule::G4K, 24, 1, 0x2000'0000);
    m.set(0x2000'1800, 0x2100'0003);
    m.set(0x2100'0488, 0x2100'1003);
    m.set(0x2100'1A28, 0xE'0000'0000 | kS2Page);
    const WalkResult f2 = m.walk(c2, 0xC0'1234'5678);
    const WalkResult a2 = m.walk_from(c2, 0xC0'1234'5678, 1, 0x2000'0000, Perms::all());
    BOOST_TEST(a2.oa == f2.oa);
    BOOST_TEST(a2.nsteps == 3u);
    const WalkResult b2 = m.walk_from(c2, 0xC0'1234'5678, 3, f2.steps[1].next_table, f2.steps[1].inherited);
    BOOST_TEST(b2.oa == 0xE'0000'0678u);
    BOOST_TEST(b2.nsteps == 1u);
    BOOST_TEST(b2.perms == f2.perms);
}

// ---------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(builder_pages_and_leaf_addresses) {
    TestMem m;
    VmsaBuilder b(Stage::S1, Granule::G4K, 16, 0, m.table_memory());
    BOOST_TEST(b.start_level() == 0);
    BOOST_TEST(b.ttb() == 0x4000'0000u);  // first allocation (64-byte minimum, 4 KiB root)
    MapAttrs a;
    a.write = false;
    a.user = true;
    a.exec = true;
    BOOST_TEST(b.map(0x1234'5678'9000, 0x8'9ABC'D000, 0x3000, 0x1000, a));
    // Root 0x4000_0000, then tables allocated in walk order at 0x4000_1000, _2000, _3000.
    const WalkConfig c = b.config();
    const WalkResult r = m.walk(c, 0x1234'5678'9ABC);
    check_leaf(r, 3, 0x8'9ABC'DABC, 0x1000);
    check_steps(r, {{0, 0x4000'0120, 0x4000'1003},
                    {1, 0x4000'1688, 0x4000'2003},
                    {2, 0x4000'2598, 0x4000'3003},
                    // AF 0x400 | SH 0x300 | AP=11 (RO, EL0) 0xC0 | page 3; UXN=PXN=0; AttrIndx 0
                    {3, 0x4000'3C48, 0x8'9ABC'D7C3}});
    BOOST_TEST(b.leaf_desc_addr(0x1234'5678'9ABC, 3) == 0x4000'3C48u);
    BOOST_TEST(b.leaf_desc_addr(0x1234'5678'9ABC, 0) == 0x4000'0120u);
    BOOST_TEST(b.leaf_desc_addr(0x1234'5678'9ABC, 2) == 0x4000'2598u);
    BOOST_TEST(b.leaf_desc_addr(0x1234'5678'9ABC, 4) == 0u);
    BOOST_TEST(b.leaf_desc_addr(0x2234'5678'9ABC, 3) == 0u);  // other L0 entry: no table
    BOOST_TEST(b.tables_allocated() == 4u);
    // Next two pages follow.
    check_leaf(m.walk(c, 0x1234'5678'A000), 3, 0x8'9ABC'E000, 0x1000);
    check_leaf(m.walk(c, 0x1234'5678'BFFF), 3, 0x8'9ABC'FFFF, 0x1000);
    BOOST_TEST(m.walk(c, 0x1234'5678'C000).fault == Fault::Translation);
    BOOST_TEST(m.walk(c, 0x1234'5678'8FFF).fault == Fault::Translation);
    BOOST_TEST(check_access(c, r, false, false, false) == Fault::None);
    BOOST_TEST(check_access(c, r, true, false, true) == Fault::Permission);
    BOOST_TEST(check_access(c, r, false, true, false) == Fault::None);

    // Raw corruption through leaf_desc_addr: make the leaf invalid.
    m.set(b.leaf_desc_addr(0x1234'5678'9000, 3), 0);
    BOOST_TEST(m.walk(c, 0x1234'5678'9000).fault == Fault::Translation);

    // Bad arguments.
    BOOST_TEST(!b.map(0x1000, 0x1000, 0x1000, 0x2000, a));        // not a leaf size
    BOOST_TEST(!b.map(0x1800, 0x1000, 0x1000, 0x1000, a));        // misaligned ia
    BOOST_TEST(!b.map(0x1000, 0x1800, 0x1000, 0x1000, a));        // misaligned pa
    BOOST_TEST(!b.map(0x1000, 0x1000, 0x0, 0x1000, a));           // empty
    BOOST_TEST(!b.map(0xFFFF'FFFF'F000, 0x1000, 0x2000, 0x1000, a));  // beyond 48-bit input
    BOOST_TEST(!b.map(0x1000, 0xFFFF'FFFF'F000, 0x2000, 0x1000, a));  // beyond 48-bit output
    BOOST_TEST(!b.map(0x0, 0x0, 0x1000, uint64_t{1} << 39, a));   // 512G: no level-0 blocks
    BOOST_TEST(b.map(0xFFFF'FFFF'F000, 0x1000, 0x1000, 0x1000, a));  // last page is fine
}

BOOST_AUTO_TEST_CASE(builder_superpage_choice) {
    TestMem m;
    VmsaBuilder b(Stage::S1, Granule::G4K, 16, 0, m.table_memory());
    const WalkConfig c = b.config();
    MapAttrs a;
    // 1G + 2M + 4K at a 1G-aligned ia/pa with page_size 1G: one 1G block, one 2M block, one page.
    const uint64_t G = 0x4000'0000, M2 = 0x20'0000, K4 = 0x1000;
    BOOST_TEST(b.map(0x40'0000'0000, 0x1'0000'0000, G + M2 + K4, G, a));
    check_leaf(m.walk(c, 0x40'0000'0000), 1, 0x1'0000'0000, G);
    check_leaf(m.walk(c, 0x40'3FFF'FFFF), 1, 0x1'3FFF'FFFF, G);
    check_leaf(m.walk(c, 0x40'4000'0000), 2, 0x1'4000'0000, M2);
    check_leaf(m.walk(c, 0x40'401F'FFFF), 2, 0x1'401F'FFFF, M2);
    check_leaf(m.walk(c, 0x40'4020'0000), 3, 0x1'4020'0000, K4);
    BOOST_TEST(m.walk(c, 0x40'4020'1000).fault == Fault::Translation);

    // page_size 2M limits the leaves: the same shape gives 512+1 2M blocks and a page.
    BOOST_TEST(b.map(0x80'0000'0000, 0x2'0000'0000, G + M2 + K4, M2, a));
    check_leaf(m.walk(c, 0x80'0000'0000), 2, 0x2'0000'0000, M2);
    check_leaf(m.walk(c, 0x80'3FE0'0000), 2, 0x2'3FE0'0000, M2);
    check_leaf(m.walk(c, 0x80'4020'0000), 3, 0x2'4020'0000, K4);

    // An output address aligned only to 4K forces pages even if page_size allows 2M.
    BOOST_TEST(b.map(0xC0'0000'0000, 0x3'0000'1000, M2, M2, a));
    check_leaf(m.walk(c, 0xC0'0000'0000), 3, 0x3'0000'1000, K4);
    check_leaf(m.walk(c, 0xC0'001F'F000), 3, 0x3'0020'0000, K4);

    // An unaligned start ramps up: pages until 2M alignment, then blocks, then pages.
    // [0x100_001F_F000, +4K +2M +4K)
    BOOST_TEST(b.map(0x100'001F'F000, 0x4'001F'F000, K4 + M2 + K4, G, a));
    check_leaf(m.walk(c, 0x100'001F'F000), 3, 0x4'001F'F000, K4);
    check_leaf(m.walk(c, 0x100'0020'0000), 2, 0x4'0020'0000, M2);
    check_leaf(m.walk(c, 0x100'0040'0000), 3, 0x4'0040'0000, K4);

    // 16K and 64K block sizes, stage 1 and stage 2.
    TestMem m16;
    VmsaBuilder b16(Stage::S1, Granule::G16K, 17, 0, m16.table_memory());
    BOOST_TEST(b16.map(0x10'0000'0000, 0x2'0000'0000, 0x200'0000 + 0x4000, 0x200'0000, a));
    check_leaf(m16.walk(b16.config(), 0x10'01FF'FFFF), 2, 0x2'01FF'FFFF, 0x200'0000);
    check_leaf(m16.walk(b16.config(), 0x10'0200'0000), 3, 0x2'0200'0000, 0x4000);
    TestMem m64;
    VmsaBuilder b64(Stage::S2, Granule::G64K, 18, 1, m64.table_memory());  // 46-bit IPA, 16 tables
    BOOST_TEST(b64.concat_tables() == 16u);
    BOOST_TEST(b64.map(0x3F00'0000'0000, 0x20'0000'0000, 0x2000'0000 + 0x1'0000, 0x2000'0000, a));
    check_leaf(m64.walk(b64.config(), 0x3F00'1234'5678), 2, 0x20'1234'5678, 0x2000'0000);
    check_leaf(m64.walk(b64.config(), 0x3F00'2000'0000), 3, 0x20'2000'0000, 0x1'0000);
}

BOOST_AUTO_TEST_CASE(builder_overlap_refused_without_change) {
    TestMem m;
    VmsaBuilder b(Stage::S1, Granule::G4K, 25, 0, m.table_memory());
    MapAttrs a;
    const uint64_t M2 = 0x20'0000;
    BOOST_TEST(b.map(0x4000'0000, 0x1'0000'0000, M2, M2, a));  // one 2M block
    BOOST_TEST(b.map(0x8000'5000, 0x2'0000'5000, 0x1000, 0x1000, a));  // one page
    const auto snapshot = m.words;
    const uint64_t next_alloc = m.next_alloc;
    // Overlaps the 2M block at its end (range starts in free space).
    BOOST_TEST(!b.map(0x3FF0'0000, 0x3'0000'0000, 0x20'0000, 0x1000, a));
    // Overlaps the page from a range that would use a 2M block elsewhere.
    BOOST_TEST(!b.map(0x7FE0'0000, 0x3'7FE0'0000, 0x20'0000 + 0x6000, M2, a));
    // Exactly the same range again.
    BOOST_TEST(!b.map(0x4000'0000, 0x1'0000'0000, M2, M2, a));
    // A 1G block over a table that still holds the page.
    BOOST_TEST(!b.map(0x8000'0000, 0x4000'0000, 0x4000'0000, 0x4000'0000, a));
    BOOST_TEST((m.words == snapshot));
    BOOST_TEST(m.next_alloc == next_alloc);  // no table allocated either
    // Adjacent ranges are fine.
    BOOST_TEST(b.map(0x4020'0000, 0x1'0020'0000, 0x1000, 0x1000, a));
    BOOST_TEST(b.map(0x8000'4000, 0x2'0000'4000, 0x1000, 0x1000, a));
}

BOOST_AUTO_TEST_CASE(builder_unmap_and_split) {
    TestMem m;
    VmsaBuilder b(Stage::S2, Granule::G4K, 24, 1, m.table_memory());  // 40-bit IPA, 2 tables at L1
    BOOST_TEST(b.start_level() == 1);
    BOOST_TEST(b.concat_tables() == 2u);
    BOOST_TEST(b.ttb() == 0x4000'0000u);  // 8 KiB root, 8 KiB aligned
    const WalkConfig c = b.config();
    MapAttrs a;
    a.write = false;
    const uint64_t G = 0x4000'0000, M2 = 0x20'0000, K4 = 0x1000;
    // Map in the second concatenated table: IPA 0xC0_0000_0000 -> L1 index 0x300.
    BOOST_TEST(b.map(0xC0'0000'0000, 0x10'0000'0000, G, G, a));
    WalkResult r = m.walk(c, 0xC0'0000'1234);
    check_leaf(r, 1, 0x10'0000'1234, G);
    // 0x4000_0000 + 0x300*8 = 0x4000_1800; block: AF|SH=3|S2AP=01 (0x40)|MemAttr 0x3C|XN=10|type 01
    check_steps(r, {{1, 0x4000'1800, 0x10'0000'0000 | (uint64_t{2} << 53) | 0x400 | 0x300 | 0x40 | 0x3C | 1}});
    BOOST_TEST(check_access(c, r, false, false, false) == Fault::None);
    BOOST_TEST(check_access(c, r, true, false, false) == Fault::Permission);
    BOOST_TEST(check_access(c, r, false, true, false) == Fault::Permission);

    // Unmapping one page in the middle splits 1G -> 512 x 2M -> 512 x 4K and clears one.
    BOOST_TEST(b.unmap(0xC0'1234'5000, K4) == 1u);
    BOOST_TEST(m.walk(c, 0xC0'1234'5000).fault == Fault::Translation);
    check_leaf(m.walk(c, 0xC0'1234'4FFF), 3, 0x10'1234'4FFF, K4);
    check_leaf(m.walk(c, 0xC0'1234'6000), 3, 0x10'1234'6000, K4);
    check_leaf(m.walk(c, 0xC0'1220'0000 - 1), 2, 0x10'121F'FFFF, M2);
    check_leaf(m.walk(c, 0xC0'3FFF'FFFF), 2, 0x10'3FFF'FFFF, M2);
    check_leaf(m.walk(c, 0xC0'0000'0000), 2, 0x10'0000'0000, M2);
    // Split leaves keep the attributes (read-only).
    BOOST_TEST(check_access(c, m.walk(c, 0xC0'1234'6000), true, false, false) == Fault::Permission);

    // Unmapping the whole 1G: 511 2M blocks + 511 pages.
    BOOST_TEST(b.unmap(0xC0'0000'0000, G) == 511u + 511u);
    BOOST_TEST(m.walk(c, 0xC0'1234'6000).fault == Fault::Translation);
    BOOST_TEST(b.unmap(0xC0'0000'0000, G) == 0u);

    // Tables stay: the empty ones are replaced when a 1G block is mapped again.
    BOOST_TEST(b.map(0xC0'0000'0000, 0x20'0000'0000, G, G, a));
    check_leaf(m.walk(c, 0xC0'1234'5000), 1, 0x20'1234'5000, G);

    // Pages: map 16, unmap the 8 in the middle (range rounded out to the granule).
    BOOST_TEST(b.map(0x1000'0000, 0x3000'0000, 16 * K4, K4, a));
    BOOST_TEST(b.unmap(0x1000'4001, 8 * K4 - 2) == 8u);
    check_leaf(m.walk(c, 0x1000'3000), 3, 0x3000'3000, K4);
    BOOST_TEST(m.walk(c, 0x1000'4000).fault == Fault::Translation);
    BOOST_TEST(m.walk(c, 0x1000'B000).fault == Fault::Translation);
    check_leaf(m.walk(c, 0x1000'C000), 3, 0x3000'C000, K4);
    // Unmap beyond the input size is clipped; huge sparse ranges are cheap.
    BOOST_TEST(b.unmap(0, ~uint64_t{0}) == 8u + 1u);
    BOOST_TEST(b.unmap(uint64_t{1} << 40, 0x1000) == 0u);
}

BOOST_AUTO_TEST_CASE(builder_bad_configs) {
    TestMem m;
    BOOST_CHECK_THROW(VmsaBuilder(Stage::S1, Granule::G4K, 40, 0, m.table_memory()), std::invalid_argument);
    BOOST_CHECK_THROW(VmsaBuilder(Stage::S2, Granule::G4K, 20, 1, m.table_memory()), std::invalid_argument);
    BOOST_CHECK_THROW(VmsaBuilder(Stage::S2, Granule::G4K, 24, 2, m.table_memory(), 40), std::invalid_argument);
    // A small start table still gets a 64-byte root: 16K, 48-bit (2 entries at level 0).
    VmsaBuilder b(Stage::S1, Granule::G16K, 16, 0, m.table_memory());
    BOOST_TEST(b.start_level() == 0);
    BOOST_TEST(m.next_alloc - b.ttb() == 64u);
    MapAttrs a;
    BOOST_TEST(b.map(0x8000'0000'0000, 0x1'0000'0000, 0x4000, 0x4000, a));
    check_leaf(m.walk(b.config(), 0x8000'0000'0123), 3, 0x1'0000'0123, 0x4000);
    BOOST_TEST(m.walk(b.config(), 0x8000'0000'0123).steps[0].desc_addr == b.ttb() + 8);
    // 64K with a 52-bit output: OA[51:48] in bits [15:12].
    TestMem m2;
    VmsaBuilder b52(Stage::S1, Granule::G64K, 16, 0, m2.table_memory(), 52);
    BOOST_TEST(b52.map(0x1'0000, 0x000F'0000'1234'0000, 0x1'0000, 0x1'0000, a));
    const WalkResult r = m2.walk(b52.config(), 0x1'5678);
    check_leaf(r, 3, 0x000F'0000'1234'5678, 0x1'0000);
    BOOST_TEST((r.leaf_desc & 0xF000) == 0xF000u);
}

// Random map/unmap sequences checked against a page-granular reference.
BOOST_AUTO_TEST_CASE(builder_random_against_reference) {
    struct Cfg {
        Stage st;
        Granule g;
        unsigned tsz, sl0;
    };
    const Cfg cfgs[] = {
        {Stage::S1, Granule::G4K, 16, 0},  {Stage::S1, Granule::G4K, 34, 0},  {Stage::S2, Granule::G4K, 24, 1},
        {Stage::S2, Granule::G4K, 30, 0},  {Stage::S1, Granule::G16K, 16, 0}, {Stage::S2, Granule::G16K, 35, 0},
        {Stage::S1, Granule::G64K, 22, 0}, {Stage::S2, Granule::G64K, 31, 0},
    };
    std::mt19937_64 rng(12345);
    for (const Cfg& k : cfgs) {
        BOOST_TEST_CONTEXT("stage " << int(k.st) << " granule " << int(k.g) << " tsz " << k.tsz) {
            TestMem m;
            VmsaBuilder b(k.st, k.g, k.tsz, k.sl0, m.table_memory());
            const WalkConfig c = b.config();
            const unsigned gs = granule_shift(k.g);
            const uint64_t gran = uint64_t{1} << gs;
            // Leaf sizes available; work in a window of 4 second-largest leaves.
            std::vector<uint64_t> sizes;
            for (int l = b.start_level(); l <= 3; ++l)
                if (leaf_allowed(k.g, l)) sizes.push_back(uint64_t{1} << level_shift(k.g, l));
            const uint64_t big = sizes.size() > 1 ? sizes[sizes.size() - 2] : sizes.back();
            const uint64_t window = std::min<uint64_t>(3 * big, uint64_t{1} << (64 - k.tsz));
            const uint64_t win_base = (uint64_t{1} << (64 - k.tsz)) - window;  // top of the input range
            std::map<uint64_t, uint64_t> ref;  // ia granule -> pa granule
            for (int op = 0; op < 60; ++op) {
                const uint64_t pages = 1 + rng() % (2 * (big >> gs) + 3);
                const uint64_t ia = win_base + (rng() % (window >> gs)) * gran;
                const uint64_t size = std::min(pages * gran, win_base + window - ia);
                if (rng() % 3 == 0) {
                    b.unmap(ia, size);
                    for (uint64_t x = ia; x < ia + size; x += gran) ref.erase(x);
                } else {
                    // pa: same offset inside `big` as ia half of the time, so blocks get used.
                    const uint64_t pa = (uint64_t{1} << 40) + (rng() % 64) * big +
                                        ((rng() & 1) ? (ia & (big - 1)) : (rng() % (big >> gs)) * gran);
                    const uint64_t ps = sizes[rng() % sizes.size()];
                    bool free = true;
                    for (uint64_t x = ia; x < ia + size && free; x += gran) free = ref.count(x) == 0;
                    MapAttrs a;
                    const bool ok = b.map(ia, pa, size, ps, a);
                    BOOST_TEST(ok == free);
                    if (ok)
                        for (uint64_t x = ia; x < ia + size; x += gran) ref[x] = pa + (x - ia);
                }
            }
            // Every granule of the window (sampled) against the reference.
            for (uint64_t x = win_base; x < win_base + window; x += gran * (1 + rng() % 7)) {
                const uint64_t off = rng() % gran;
                const WalkResult r = m.walk(c, x + off);
                auto it = ref.find(x);
                if (it == ref.end()) {
                    BOOST_TEST(r.fault == Fault::Translation);
                } else {
                    BOOST_TEST(r.fault == Fault::None);
                    BOOST_TEST(r.oa == it->second + off);
                    // The whole leaf is mapped contiguously in the reference.
                    const uint64_t leaf_ia = (x + off) & ~(r.page_size - 1);
                    const uint64_t leaf_pa = r.oa & ~(r.page_size - 1);
                    BOOST_TEST(r.oa - leaf_pa == (x + off) - leaf_ia);
                    auto lo = ref.find(leaf_ia);
                    auto hi = ref.find(leaf_ia + r.page_size - gran);
                    BOOST_TEST((lo != ref.end() && lo->second == leaf_pa));
                    BOOST_TEST((hi != ref.end() && hi->second == leaf_pa + r.page_size - gran));
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(builder_million_pages_write_count) {
    // One million 4 KiB pages in one map() call cost about one descriptor write
    // per page plus the tables: set-up is linear, with no re-walk per page.
    // (Speed itself is measured in bench/, not here.)
    TestMem m;
    m.words.reserve(1100000);
    VmsaBuilder b(Stage::S1, Granule::G4K, 16, 0, m.table_memory());
    MapAttrs a;
    const uint64_t n = 1'000'000;
    BOOST_TEST(b.map(0x10'0000'0000, 0x1'0000'0000, n << 12, 0x1000, a));
    BOOST_TEST(m.writes < n + 2100);
    const WalkResult r = m.walk(b.config(), 0x10'0000'0000 + ((n - 1) << 12));
    BOOST_TEST((r.fault == Fault::None));
    BOOST_TEST(r.oa == 0x1'0000'0000 + ((n - 1) << 12));
}
