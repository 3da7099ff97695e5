// IOTLB operations per second (host time), pure TLM vs. RTL co-simulation:
//   BM_TlmIotlb    a fixed stream of IOTLB operations (55% lookups, mostly
//                  of recent fills; 40% fills at 4K / 2M / 1G; 5%
//                  invalidations of every SMMUv3 kind) on the TLM Iotlb
//   BM_CosimIotlb  the same stream with the reference RTL (64 entries,
//                  4 ways, PLRU, verilated --sc) checked in lockstep: every
//                  operation is also driven through the RTL ports (2 clock
//                  cycles, 4 evaluations) and compared
// Only with IOMMUSIM_HAVE_COSIM does BM_CosimIotlb exist. docs/rtl-cosim.md
// quotes the numbers.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <vector>

#include <systemc>

#include "models/common/iotlb.h"
#include "rtl-cosim/cosim_api.h"

using namespace iommusim;

namespace {

struct Op {
    enum Kind { Lookup, Fill, Invalidate } kind;
    TlbTag tag;
    uint64_t va = 0;
    uint32_t asid = 0;
    TlbEntry entry;
    TlbInvalidation inv;
};

std::vector<Op> make_stream(size_t n) {
    std::mt19937_64 rng(42);
    auto pick = [&](uint64_t k) { return rng() % k; };
    const uint8_t sizes[3] = {12, 21, 30};
    auto random_tag = [&] {
        TlbTag t;
        t.kind = pick(4) == 0 ? TlbKind::S2 : TlbKind::S1;
        t.vmid = static_cast<uint16_t>(pick(3));
        t.asid = t.kind == TlbKind::S2 ? 0 : static_cast<uint32_t>(pick(4));
        const unsigned r = static_cast<unsigned>(pick(10));
        t.size_log2 = sizes[r < 8 ? 0 : r < 9 ? 1 : 2];
        t.vpn = pick(256);
        return t;
    };
    std::vector<TlbTag> recent(64);
    for (auto& t : recent) t = random_tag();
    std::vector<Op> ops(n);
    for (Op& o : ops) {
        const unsigned w = static_cast<unsigned>(pick(100));
        o.tag = random_tag();
        if (w < 55) {
            if (pick(4) != 0) o.tag = recent[pick(recent.size())];
            o.kind = Op::Lookup;
            o.asid = o.tag.asid;
            o.va = (o.tag.vpn << o.tag.size_log2) | (rng() & ((uint64_t{1} << o.tag.size_log2) - 1));
        } else if (w < 95) {
            o.kind = Op::Fill;
            recent[pick(recent.size())] = o.tag;
            o.entry.oa_base = (rng() & ((uint64_t{1} << 48) - 1)) & ~((uint64_t{1} << o.tag.size_log2) - 1);
            o.entry.has_s1 = o.tag.kind == TlbKind::S1;
            o.entry.has_s2 = !o.entry.has_s1;
            o.entry.s1perms.r = o.entry.s2perms.r = true;
        } else {
            o.kind = Op::Invalidate;
            o.inv.match_vmid = true;
            o.inv.vmid = o.tag.vmid;
            o.inv.match_kind = pick(3) != 0;
            o.inv.kind = o.tag.kind;
            if (o.inv.match_kind && o.tag.kind == TlbKind::S1 && pick(2)) {
                o.inv.asid_match = TlbInvalidation::Asid::OrGlobal;
                o.inv.asid = o.tag.asid;
            }
            o.inv.match_range = pick(4) != 0;
            o.inv.first = o.tag.vpn << o.tag.size_log2;
            o.inv.last = o.inv.first + 0xfff;
        }
    }
    return ops;
}

const CacheGeometry kGeometry{64, 4, ReplPolicy::PLRU, 1};
std::vector<Op>* stream;
#if IOMMUSIM_HAVE_COSIM
std::unique_ptr<cosim::IotlbChecker> checker;
#endif

void run(benchmark::State& st, Iotlb& tlb) {
    size_t i = 0;
    for (auto _ : st) {
        const Op& o = (*stream)[i];
        if (++i == stream->size()) i = 0;
        switch (o.kind) {
            case Op::Lookup: benchmark::DoNotOptimize(tlb.lookup(o.tag.kind, o.tag.vmid, o.asid, o.va)); break;
            case Op::Fill: tlb.fill(o.tag, o.entry); break;
            case Op::Invalidate: benchmark::DoNotOptimize(tlb.invalidate(o.inv)); break;
        }
    }
    st.SetItemsProcessed(st.iterations());
}

void BM_TlmIotlb(benchmark::State& st) {
    Iotlb tlb(kGeometry);
    run(st, tlb);
}
BENCHMARK(BM_TlmIotlb);

#if IOMMUSIM_HAVE_COSIM
void BM_CosimIotlb(benchmark::State& st) {
    // One TLM IOTLB for every run, as there is one RTL: their states carry on together.
    static Iotlb tlb(kGeometry);
    tlb.set_observer(checker.get());
    run(st, tlb);
    const cosim::CosimStats& s = checker->stats();
    if (s.mismatches) st.SkipWithError("co-simulation mismatch");
    st.counters["rtl_cycles_per_op"] = double(s.rtl_cycles) / double(s.operations ? s.operations : 1);
}
BENCHMARK(BM_CosimIotlb);
#endif

}  // namespace

int sc_main(int argc, char** argv) {
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    std::vector<Op> ops = make_stream(1 << 16);
    stream = &ops;
#if IOMMUSIM_HAVE_COSIM
    cosim::CosimOptions o;
    o.geometry = kGeometry;
    checker = cosim::make_iotlb_cosim(o);  // an sc_module: at elaboration
#endif
    sc_core::sc_start();
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
#if IOMMUSIM_HAVE_COSIM
    checker.reset();
#endif
    return 0;
}
