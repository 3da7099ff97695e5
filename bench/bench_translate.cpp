// Translated DMA throughput through a full SystemC platform (initiator ->
// SMMUv3 -> memory), in host time:
//   BM_BareCacheLookup  the generic cache alone: the floor
//   BM_HitPath          IOTLB hit on every transaction
//   BM_MemoryDirect     the same DMA straight to memory, no IOMMU
//   BM_MissPath         IOTLB miss and a 4-level stage-1 walk every transaction
//   BM_HitPathDevices   hit path, transactions spread over N devices (StreamIDs)
//   BM_MapPages         the host-software helper mapping N 4 KiB pages
// The platform is elaborated once; the driver programs the SMMU in an
// SC_THREAD, then the benchmarks call b_transport directly (nothing on the
// DMA path waits, so no process context is needed).
#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <memory>
#include <vector>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/common/cache.h"
#include "models/common/phys_alloc.h"
#include "models/common/tlm/dma_ext.h"
#include "models/common/tlm/memory.h"
#include "models/smmuv3/smmuv3.h"
#include "models/smmuv3/smmuv3_driver.h"

using namespace iommusim;
using namespace iommusim::smmuv3;

namespace {

constexpr uint64_t kIova = 0x1'0000'0000;
constexpr unsigned kDevices = 64;
constexpr uint64_t kMissPages = 1u << 16;  // 256 MiB window for the miss path

struct Rig : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Rig> hit_port, miss_port, mem_port;
    Memory mem;
    Smmuv3 hit_smmu, miss_smmu;
    PhysAllocator alloc;
    Smmuv3Driver hit_drv, miss_drv;

    static Smmuv3Params miss_params() {
        Smmuv3Params p;
        p.pipeline.walk_cache = false;  // every miss walks all 4 levels
        p.pipeline.iotlb = CacheGeometry{16, 4, ReplPolicy::LRU, 1};
        return p;
    }

    SC_HAS_PROCESS(Rig);
    explicit Rig(const sc_core::sc_module_name& n)
        : sc_module(n),
          hit_port("hit_port"),
          miss_port("miss_port"),
          mem_port("mem_port"),
          mem("mem"),
          hit_smmu("hit_smmu", Smmuv3Params{}),
          miss_smmu("miss_smmu", miss_params()),
          alloc(uint64_t{1} << 30, uint64_t{64} << 30),
          hit_drv("hit_drv", mem.backdoor(), alloc),
          miss_drv("miss_drv", mem.backdoor(), alloc) {
        hit_port.bind(hit_smmu.in);
        miss_port.bind(miss_smmu.in);
        mem_port.bind(mem.in);
        hit_smmu.out.bind(mem.in);
        miss_smmu.out.bind(mem.in);
        hit_drv.regs.bind(hit_smmu.regs);
        miss_drv.regs.bind(miss_smmu.regs);
        SC_THREAD(setup);
    }

    void setup() {
        hit_drv.init();
        miss_drv.init();
        for (unsigned i = 0; i < kDevices; ++i) {
            auto* d = hit_drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
            hit_drv.map(d, kIova, alloc.alloc(0x1000, 0x1000), 0x1000, 0x1000);
            hit_drv.attach(static_cast<uint16_t>(0x100 + i), d);
        }
        auto* d = miss_drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
        miss_drv.map(d, kIova, alloc.alloc(kMissPages << 12, 0x1000), kMissPages << 12, 0x1000);
        miss_drv.attach(0x100, d);
    }
};

Rig* rig = nullptr;

struct Dma {
    tlm::tlm_generic_payload tx;
    DmaExtension ext;
    uint64_t data = 0;
    Dma() {
        tx.set_extension(&ext);
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_data_ptr(reinterpret_cast<unsigned char*>(&data));
        tx.set_data_length(8);
        tx.set_streaming_width(8);
    }
    ~Dma() { tx.clear_extension(&ext); }
    // As a closed-loop initiator with a 1 us quantum: each DMA starts when the
    // previous one completed (local time), and simulated time catches up
    // (sc_start) once the local time passes the quantum.
    sc_core::sc_time local = sc_core::SC_ZERO_TIME;
    bool issue(tlm_utils::simple_initiator_socket<Rig>& port, uint16_t rid, uint64_t addr) {
        ext.rid.value = rid;
        tx.set_address(addr);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        port->b_transport(tx, local);
        if (local >= kQuantum) {
            sc_core::sc_start(local);
            local = sc_core::SC_ZERO_TIME;
        }
        return tx.is_response_ok();
    }
    static inline const sc_core::sc_time kQuantum{1, sc_core::SC_US};
};

void BM_BareCacheLookup(benchmark::State& st) {
    SetAssocCache<uint64_t, uint64_t> c(CacheGeometry{128, 4, ReplPolicy::LRU, 1});
    for (uint64_t i = 0; i < 64; ++i) c.fill(i, i, i);
    uint64_t i = 0;
    for (auto _ : st) {
        benchmark::DoNotOptimize(c.lookup(i & 63, i & 63));
        ++i;
    }
    st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_BareCacheLookup);

void BM_HitPath(benchmark::State& st) {
    Dma dma;
    uint64_t off = 0, faults = 0;
    for (auto _ : st) {
        faults += !dma.issue(rig->hit_port, 0x100, kIova + (off & 0xff8));
        off += 8;
    }
    st.counters["faults"] = double(faults);
    st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_HitPath);

// The same DMA straight to memory (no IOMMU): the cost of the platform
// without translation.
void BM_MemoryDirect(benchmark::State& st) {
    Dma dma;
    uint64_t off = 0;
    for (auto _ : st) {
        benchmark::DoNotOptimize(dma.issue(rig->mem_port, 0x100, (uint64_t{2} << 30) + (off & 0xff8)));
        off += 8;
    }
    st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_MemoryDirect);

void BM_MissPath(benchmark::State& st) {
    Dma dma;
    uint64_t page = 0, faults = 0;
    const uint64_t walks0 = rig->miss_smmu.pipeline().stats().walks;
    const uint64_t reads0 = rig->miss_smmu.pipeline().stats().walk_reads;
    for (auto _ : st) {
        faults += !dma.issue(rig->miss_port, 0x100, kIova + ((page % kMissPages) << 12));
        ++page;
    }
    const auto& ps = rig->miss_smmu.pipeline().stats();
    st.counters["faults"] = double(faults);
    st.counters["reads_per_walk"] = double(ps.walk_reads - reads0) / double(std::max<uint64_t>(1, ps.walks - walks0));
    st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_MissPath);

void BM_HitPathDevices(benchmark::State& st) {
    const unsigned n = static_cast<unsigned>(st.range(0));
    Dma dma;
    uint64_t i = 0, faults = 0;
    for (auto _ : st) {
        faults += !dma.issue(rig->hit_port, static_cast<uint16_t>(0x100 + (i % n)), kIova + ((i * 8) & 0xff8));
        ++i;
    }
    st.counters["faults"] = double(faults);
    st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_HitPathDevices)->Arg(1)->Arg(4)->Arg(16)->Arg(64);

long max_rss_kib() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

void BM_MapPages(benchmark::State& st) {
    const uint64_t pages = static_cast<uint64_t>(st.range(0));
    double table_mib = 0;
    const long rss0 = max_rss_kib();
    for (auto _ : st) {
        st.PauseTiming();
        const uint64_t bytes0 = rig->mem.backdoor().bytes_allocated();
        auto* d = rig->hit_drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
        const uint64_t pa = rig->alloc.alloc(pages << 12, 0x1000);
        st.ResumeTiming();
        for (uint64_t p = 0; p < pages; ++p)  // page by page, as a driver maps buffers
            rig->hit_drv.map(d, kIova + (p << 12), pa + (p << 12), 0x1000, 0x1000);
        st.PauseTiming();
        table_mib = double(rig->mem.backdoor().bytes_allocated() - bytes0) / (1 << 20);
        st.ResumeTiming();
    }
    st.counters["table_MiB"] = table_mib;
    st.counters["peak_rss_growth_MiB"] = double(max_rss_kib() - rss0) / 1024.0;
    st.SetItemsProcessed(st.iterations() * pages);
}
BENCHMARK(BM_MapPages)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

int sc_main(int argc, char** argv) {
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    rig = new Rig("rig");
    sc_core::sc_start();
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
