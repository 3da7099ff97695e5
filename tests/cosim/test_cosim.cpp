// RTL IOTLB co-simulation (rtl-cosim/, docs/rtl-cosim.md).
//
// In process: a random stream of IOTLB operations (lookups, fills at 4 KiB /
// 2 MiB / 1 GiB, stage 1 / stage 2 / global entries in several VMIDs and
// ASIDs, every kind of invalidation) on a TLM Iotlb whose observer replays
// them on each verilated reference geometry: every result must match. The
// same stream on each mutant must diverge.
// Through the binary: configs/cosim-smmuv3.yaml matches (exit 0, stats.json,
// summary); each mutant is caught (exit 3, the operation named); YAML errors;
// the waveform. One SystemC elaboration per test case (one process each).
#define BOOST_TEST_MODULE cosim
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>
#include <yaml-cpp/yaml.h>

#include "models/common/iotlb.h"
#include "rtl-cosim/cosim_api.h"
#include "tests/sc/cli_helpers.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using namespace iommusim;
using iommusim::test::RunResult;
using iommusim::test::run_iommusim;
using iommusim::test::temp_dir;

namespace {

void quiet() { sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING); }

// Drives `ops` random operations through an Iotlb observed by a checker, in
// an SC_THREAD, one nanosecond apart.
struct RandomOps : sc_core::sc_module {
    SC_HAS_PROCESS(RandomOps);
    RandomOps(const sc_core::sc_module_name& n, const CacheGeometry& g, const std::string& variant, unsigned ops,
              bool predicate_invalidation = false)
        : sc_module(n), tlb(g), ops_(ops), predicate_(predicate_invalidation) {
        cosim::CosimOptions o;
        o.instance = "rtl";
        o.label = "test IOTLB";
        o.variant = variant;
        o.geometry = g;
        checker = cosim::make_iotlb_cosim(o);
        tlb.set_observer(checker.get());
        SC_THREAD(run);
    }

    void run() {
        std::mt19937_64 rng(12345);
        auto pick = [&](uint64_t n) { return rng() % n; };
        const unsigned sizes[3] = {12, 21, 30};
        auto random_tag = [&](TlbTag& t) {
            t.kind = pick(4) == 0 ? TlbKind::S2 : TlbKind::S1;
            t.vmid = static_cast<uint16_t>(pick(3));
            t.global = t.kind == TlbKind::S1 && pick(8) == 0;
            t.asid = t.global || t.kind == TlbKind::S2 ? 0 : static_cast<uint32_t>(pick(4));
            const unsigned r = static_cast<unsigned>(pick(10));
            t.size_log2 = static_cast<uint8_t>(sizes[r < 7 ? 0 : r < 9 ? 1 : 2]);
            // A few pages per size so that lookups hit; some with high VA bits.
            uint64_t page = pick(48);
            if (pick(16) == 0) page |= uint64_t{0xffffff} << (40 - t.size_log2 > 0 ? 40 - t.size_log2 : 0);
            t.vpn = page;
        };
        std::vector<TlbTag> recent(96);  // lookups mostly revisit recent fills: hits
        for (auto& t : recent) random_tag(t);
        for (unsigned i = 0; i < ops_; ++i) {
            const unsigned what = static_cast<unsigned>(pick(100));
            TlbTag t;
            random_tag(t);
            if (what < 50 && pick(4) != 0) t = recent[pick(recent.size())];
            const uint64_t va = (t.vpn << t.size_log2) | (rng() & ((uint64_t{1} << t.size_log2) - 1));
            if (what < 50) {
                // Global entries match any ASID; stage 2 looks up with ASID 0.
                const uint32_t asid = t.kind == TlbKind::S2 ? 0 : t.global ? static_cast<uint32_t>(pick(4)) : t.asid;
                tlb.lookup(t.kind, t.vmid, asid, va);
            } else if (what < 93) {
                recent[pick(recent.size())] = t;
                TlbEntry e;
                e.oa_base = (rng() & ((uint64_t{1} << 48) - 1)) & ~((uint64_t{1} << t.size_log2) - 1);
                auto perms = [&](vmsa::Perms& p) {
                    const uint64_t b = rng();
                    p.r = b & 1;
                    p.w = b & 2;
                    p.x_user = b & 4;
                    p.x_priv = b & 8;
                    p.user = b & 16;
                    p.ns = b & 32;
                };
                e.has_s1 = t.kind == TlbKind::S1;
                e.has_s2 = t.kind == TlbKind::S2 || pick(2);
                if (e.has_s1) perms(e.s1perms);
                if (e.has_s2) perms(e.s2perms);
                tlb.fill(t, e);
            } else if (predicate_ && what < 94) {
                tlb.invalidate_if([](const TlbTag& x, const TlbEntry&) { return x.vmid == 1; });
            } else {
                TlbInvalidation inv;
                const unsigned k = static_cast<unsigned>(pick(100));
                inv.kind = t.kind;
                inv.vmid = t.vmid;
                inv.asid = static_cast<uint32_t>(pick(4));
                const uint64_t first = va & ~uint64_t{0xfff};
                const uint64_t pages = pick(3) == 0 ? 1 : 1 + pick(1024);
                if (k < 2) {
                    inv.all = true;  // TLBI_NSNH_ALL
                } else if (k < 15) {  // TLBI_NH_ALL
                    inv.match_kind = inv.match_vmid = true;
                    inv.kind = TlbKind::S1;
                } else if (k < 30) {  // TLBI_NH_ASID
                    inv.match_kind = inv.match_vmid = true;
                    inv.kind = TlbKind::S1;
                    inv.asid_match = TlbInvalidation::Asid::NonGlobal;
                } else if (k < 55) {  // TLBI_NH_VA
                    inv.match_kind = inv.match_vmid = inv.match_range = true;
                    inv.kind = TlbKind::S1;
                    inv.asid_match = TlbInvalidation::Asid::OrGlobal;
                } else if (k < 70) {  // TLBI_NH_VAA
                    inv.match_kind = inv.match_vmid = inv.match_range = true;
                    inv.kind = TlbKind::S1;
                } else if (k < 85) {  // TLBI_S2_IPA
                    inv.match_kind = inv.match_vmid = inv.match_range = true;
                    inv.kind = TlbKind::S2;
                } else {  // TLBI_S12_VMALL
                    inv.match_vmid = true;
                }
                inv.first = first;
                inv.last = first + (pages << 12) - 1;
                tlb.invalidate(inv);
            }
            wait(1, sc_core::SC_NS);
        }
    }

    Iotlb tlb;
    std::unique_ptr<cosim::IotlbChecker> checker;

private:
    unsigned ops_;
    bool predicate_;
};

cosim::CosimStats run_random(const CacheGeometry& g, const std::string& variant = "reference",
                             unsigned ops = 40000, bool predicate = false, CacheCounters* tlm = nullptr) {
    quiet();
    RandomOps bench("bench", g, variant, ops, predicate);
    sc_core::sc_start();
    BOOST_TEST(bench.checker->stats().operations == ops);
    if (tlm) *tlm = bench.tlb.counters();
    return bench.checker->stats();
}

void expect_all_matched(const CacheGeometry& g) {
    CacheCounters c;
    const cosim::CosimStats s = run_random(g, "reference", 40000, false, &c);
    BOOST_TEST_MESSAGE("TLM: " << c.lookups << " lookups " << c.hits << " hits " << c.fills << " fills "
                               << c.evictions << " evictions " << c.invalidations << " invalidated");
    BOOST_TEST(c.hits > 2000u);
    BOOST_TEST(c.evictions > 2000u);
    BOOST_TEST(c.invalidations > 2000u);
    BOOST_TEST(s.mismatches == 0u, s.first_mismatch);
    BOOST_TEST(s.checked == s.operations);
    BOOST_TEST(s.lookups > 10000u);
    BOOST_TEST(s.fills > 10000u);
    BOOST_TEST(s.invalidations > 2000u);
    BOOST_TEST(s.rtl_cycles >= 2 * s.operations);
}

CacheGeometry geometry(uint32_t entries, uint32_t ways, ReplPolicy p, uint64_t seed = 1) {
    return CacheGeometry{entries, ways, p, seed};
}

fs::path shipped() { return fs::path(IOMMUSIM_SOURCE_DIR) / "configs" / "cosim-smmuv3.yaml"; }

std::string slurp(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// Runs the shipped config with a mutant; it must be caught naming `op`.
void expect_mutant_caught(const std::string& mutant, const std::string& op) {
    const fs::path d = temp_dir(mutant);
    const RunResult r = run_iommusim(
        "run " + shipped().string() + " --out out --set iommus.smmu0.iotlb.cosim_variant=" + mutant, d);
    BOOST_TEST(r.code == 3, r.out);
    BOOST_TEST(r.out.find("co-simulation mismatch in smmu0's IOTLB") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("variant '" + mutant + "'") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("operation #") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("): " + op + " ") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("  model: ") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("  RTL:   ") != std::string::npos, r.out);
    const YAML::Node c = YAML::LoadFile((d / "out" / "stats.json").string())["iommus"]["smmu0"]["cosim"];
    BOOST_TEST(c["mismatches"].as<uint64_t>() == 1u);
    BOOST_TEST(c["checked"].as<uint64_t>() + 1 <= c["operations"].as<uint64_t>());
    BOOST_TEST(c["first_mismatch"].as<std::string>().find(op + " ") != std::string::npos);
}

std::string config_error(const std::string& iotlb, const std::string& device_extra = "") {
    const fs::path d = temp_dir("cfgerr");
    std::ofstream(d / "p.yaml") << "iommus:\n  - name: smmu0\n    iotlb: " << iotlb
                                << "\ndevices:\n  - name: d0\n    bdf: \"00:01.0\"\n" << device_extra
                                << "    traffic: {transactions: 10}\n";
    const RunResult r = run_iommusim("run p.yaml --out out", d);
    BOOST_TEST(r.code == 2, r.out);
    return r.out;
}

}  // namespace

// ---- every reference geometry against the TLM cache, bit for bit

BOOST_AUTO_TEST_CASE(random_ops_64x4_plru) { expect_all_matched(geometry(64, 4, ReplPolicy::PLRU)); }
BOOST_AUTO_TEST_CASE(random_ops_128x4_lru) { expect_all_matched(geometry(128, 4, ReplPolicy::LRU)); }
BOOST_AUTO_TEST_CASE(random_ops_16x4_lru) { expect_all_matched(geometry(16, 4, ReplPolicy::LRU)); }
BOOST_AUTO_TEST_CASE(random_ops_16x4_fifo) { expect_all_matched(geometry(16, 4, ReplPolicy::FIFO)); }
BOOST_AUTO_TEST_CASE(random_ops_16x4_random) { expect_all_matched(geometry(16, 4, ReplPolicy::Random, 99)); }
BOOST_AUTO_TEST_CASE(random_ops_16x4_random_seed0) { expect_all_matched(geometry(16, 4, ReplPolicy::Random, 0)); }
BOOST_AUTO_TEST_CASE(random_ops_16x16_plru_fully_associative) {
    expect_all_matched(geometry(16, 16, ReplPolicy::PLRU));
}

// ---- the mutants diverge on the same stream

BOOST_AUTO_TEST_CASE(random_ops_mutants_diverge) {
    // One elaboration per process: the three mutants side by side.
    quiet();
    const CacheGeometry g = geometry(64, 4, ReplPolicy::PLRU);
    RandomOps a("a", g, "mutant_replacement", 20000), b("b", g, "mutant_invalidate", 20000),
        c("c", g, "mutant_pagemask", 20000);
    sc_core::sc_start();
    for (RandomOps* r : {&a, &b, &c}) {
        const cosim::CosimStats& s = r->checker->stats();
        BOOST_TEST(s.mismatches == 1u, r->checker->options().variant);
        BOOST_TEST(s.checked < s.operations);
        BOOST_TEST(!s.first_mismatch.empty());
    }
    BOOST_TEST(a.checker->stats().first_mismatch.find("fill") != std::string::npos,
               a.checker->stats().first_mismatch);
    BOOST_TEST(b.checker->stats().first_mismatch.find("invalidate s1+s2 vmid") != std::string::npos,
               b.checker->stats().first_mismatch);
    // The short 2 MiB mask shows in a translated address or in a range invalidation.
    const std::string& pm = c.checker->stats().first_mismatch;
    BOOST_TEST((pm.find("lookup") != std::string::npos || pm.find("range") != std::string::npos), pm);
}

BOOST_AUTO_TEST_CASE(predicate_invalidation_is_reported) {
    const cosim::CosimStats s = run_random(geometry(64, 4, ReplPolicy::PLRU), "reference", 20000, true);
    BOOST_TEST(s.mismatches == 1u);
    BOOST_TEST(s.first_mismatch.find("invalidate_if") != std::string::npos, s.first_mismatch);
    BOOST_TEST(s.first_mismatch.find("not expressible on the RTL ports") != std::string::npos, s.first_mismatch);
}

BOOST_AUTO_TEST_CASE(unbuilt_geometry_is_refused) {
    cosim::CosimOptions o;
    o.geometry = geometry(128, 8, ReplPolicy::LRU);
    const std::string e = cosim::check_cosim(o);
    BOOST_TEST(e.find("not built for this IOTLB's entries/ways/policy 128/8/lru") != std::string::npos, e);
    BOOST_TEST(e.find("64/4/plru") != std::string::npos, e);
    BOOST_TEST(e.find("IOMMUSIM_COSIM_GEOMETRIES") != std::string::npos, e);
    o.geometry = geometry(64, 4, ReplPolicy::PLRU);
    BOOST_TEST(cosim::check_cosim(o).empty());
    o.top = "my_iotlb";
    BOOST_TEST(cosim::check_cosim(o).find("no RTL top 'my_iotlb'") != std::string::npos);
    BOOST_CHECK_THROW(cosim::make_iotlb_cosim(o), std::invalid_argument);
}

// ---- through the binary

BOOST_AUTO_TEST_CASE(shipped_config_matches) {
    const fs::path d = temp_dir("shipped");
    const RunResult r = run_iommusim("run " + shipped().string() + " --out out", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(r.out.find("IOTLB operations, all matched (RTL 'iommusim_iotlb'") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("mismatch") == std::string::npos, r.out);
    const YAML::Node s = YAML::LoadFile((d / "out" / "stats.json").string());
    const YAML::Node io = s["iommus"]["smmu0"];
    const YAML::Node c = io["cosim"];
    BOOST_TEST(c["rtl_top"].as<std::string>() == "iommusim_iotlb");
    BOOST_TEST(c["variant"].as<std::string>() == "reference");
    BOOST_TEST(c["mismatches"].as<uint64_t>() == 0u);
    BOOST_TEST(c["first_mismatch"].IsNull());
    const uint64_t ops = c["operations"].as<uint64_t>();
    BOOST_TEST(c["checked"].as<uint64_t>() == ops);
    // Every IOTLB operation of the run was checked: lookups and fills as counted by the TLM IOTLB.
    BOOST_TEST(c["lookups"].as<uint64_t>() == io["iotlb"]["lookups"].as<uint64_t>());
    BOOST_TEST(c["fills"].as<uint64_t>() == io["iotlb"]["fills"].as<uint64_t>());
    BOOST_TEST(c["lookups"].as<uint64_t>() + c["fills"].as<uint64_t>() + c["invalidations"].as<uint64_t>() == ops);
    // The traffic exercises what the config promises.
    BOOST_TEST(io["iotlb"]["hits"].as<uint64_t>() > 5000u);
    BOOST_TEST(io["iotlb"]["misses"].as<uint64_t>() > 5000u);
    BOOST_TEST(io["iotlb"]["evictions"].as<uint64_t>() > 5000u);
    BOOST_TEST(io["iotlb"]["invalidations"].as<uint64_t>() > 500u);
    BOOST_TEST(c["invalidations"].as<uint64_t>() > 500u);
    // The resolved config keeps the key (re-running config.yaml co-simulates again).
    BOOST_TEST(slurp(d / "out" / "config.yaml").find("cosim: rtl") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(mutant_replacement_is_caught) { expect_mutant_caught("mutant_replacement", "fill"); }
BOOST_AUTO_TEST_CASE(mutant_invalidate_is_caught) { expect_mutant_caught("mutant_invalidate", "invalidate s1+s2"); }
BOOST_AUTO_TEST_CASE(mutant_pagemask_is_caught) { expect_mutant_caught("mutant_pagemask", "lookup"); }

BOOST_AUTO_TEST_CASE(waveform_is_written) {
    const fs::path d = temp_dir("wave");
    std::ofstream(d / "p.yaml") << "iommus:\n  - name: smmu0\n    iotlb: {entries: 16, ways: 4, policy: lru, "
                                   "cosim: rtl, cosim_trace: waves/iotlb.vcd}\n"
                                   "devices:\n  - name: d0\n    bdf: \"00:01.0\"\n"
                                   "    traffic: {pattern: random, transactions: 200}\n";
    const RunResult r = run_iommusim("run p.yaml --out out", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    const std::string vcd = slurp(d / "out" / "waves" / "iotlb.vcd");
    BOOST_TEST(vcd.find("$timescale 1ps $end") != std::string::npos);
    BOOST_TEST(vcd.find("$scope module iommusim_iotlb $end") != std::string::npos);
    BOOST_TEST(vcd.find(" lu_rsp_hit ") != std::string::npos);
    BOOST_TEST(r.out.find("out/waves/iotlb.vcd") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(yaml_errors_are_located) {
    std::string e = config_error("{entries: 128, ways: 8, policy: lru, cosim: rtl}");
    BOOST_TEST(e.find("p.yaml:3:") != std::string::npos, e);
    BOOST_TEST(e.find("'iommus[0].iotlb.cosim'") != std::string::npos, e);
    BOOST_TEST(e.find("not built for this IOTLB's entries/ways/policy 128/8/lru") != std::string::npos, e);
    e = config_error("{entries: 64, ways: 4, policy: plru, cosim: rtl, cosim_top: my_iotlb}");
    BOOST_TEST(e.find("'iommus[0].iotlb.cosim_top'") != std::string::npos, e);
    BOOST_TEST(e.find("no RTL top 'my_iotlb'") != std::string::npos, e);
    e = config_error("{cosim: verilog}");
    BOOST_TEST(e.find("'iommus[0].iotlb.cosim'") != std::string::npos, e);
    e = config_error("{cosim_trace: x.vcd}");
    BOOST_TEST(e.find("'iommus[0].iotlb.cosim_trace': only with cosim: rtl") != std::string::npos, e);
    e = config_error("{entries: 64, ways: 4, policy: plru, cosim: rtl, cosim_variant: mutant_foo}");
    BOOST_TEST(e.find("'iommus[0].iotlb.cosim_variant'") != std::string::npos, e);
    e = config_error("{entries: 64, ways: 4, policy: plru, cosim: rtl}", "    granule: 64k\n");
    BOOST_TEST(e.find("'devices[0].granule'") != std::string::npos, e);
    BOOST_TEST(e.find("4 KiB granule only") != std::string::npos, e);
}
