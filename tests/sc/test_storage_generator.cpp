// pattern: storage (traffic/storage_generator.h) on a real platform built
// from YAML: scatter-gather descriptor reads and map calls per request, the
// data at the scattered physical segments (permutation recomputed here from
// its documented definition), concurrent requests sharing the IOVA
// allocator and flush queue, untranslated devices, and the YAML keys.
//
// Hand computation (4 KiB granule, quantum 0): block_size 16 KiB,
// segment_size 4 KiB -> S = 4 segments per request; outstanding 1 ->
// sg_bytes = roundup(1 * 4 * 16, 4096) = 4096; a 64 KiB buffer holds
// P = (65536 - 4096) / 4096 = 15 segments -> B = 15 / 4 = 3 blocks (12
// segments permuted). size defaults to segment_size: one DMA per segment.
// One platform per test case (each case runs in its own process).
#define BOOST_TEST_MODULE storage_generator
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include <systemc>

#include "platforms/platform.h"
#include "platforms/platform_config.h"
#include "platforms/yaml_reader.h"
#include "traffic/pattern/rng.h"
#include "tests/sc/config_helpers.h"
#include "traffic/storage_generator.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using namespace iommusim;

namespace {

void quiet() { sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING); }

PlatformConfig load(const std::string& text) { return test::load_config_text(text); }
std::string error_of(const std::string& text) { return test::config_error_of(text); }

std::string platform(const std::string& traffic, const std::string& buffer = "64KiB",
                     const std::string& extra = "", bool iommu = true) {
    return std::string("platform: {quantum_ns: 0") + (iommu ? "" : ", unsafe_noiommu: true") + "}\n" +
           (iommu ? "iommus:\n  - {name: smmu0}\n" : "") + "devices:\n  - name: disk0\n    bdf: \"00:01.0\"\n" +
           extra + "    buffer: {iova: 0x10000000, size: " + buffer + "}\n    traffic: {pattern: storage, " +
           traffic + "}\n";
}

StorageGenerator& gen(Platform& p) { return dynamic_cast<StorageGenerator&>(*p.devices().at(0)->gen); }

double stat(Platform& p, const std::string& name) {
    for (const auto& [k, v] : p.stats().flatten())
        if (k == name) return v;
    BOOST_FAIL("no statistic " + name);
    return -1;
}

// The documented permutation: identity, then for i = n-1 down to 1 swap
// perm[i] with perm[below(i + 1)] of SplitMix64(seed).
std::vector<uint64_t> expected_perm(uint64_t n, uint64_t seed) {
    std::vector<uint64_t> v(n);
    for (uint64_t i = 0; i < n; ++i) v[i] = i;
    traffic::SplitMix64 rng(seed);
    for (uint64_t i = n - 1; i >= 1; --i) std::swap(v[i], v[rng.below(i + 1)]);
    return v;
}

}  // namespace

BOOST_AUTO_TEST_CASE(sg_reads_and_map_calls_per_request) {
    quiet();
    PlatformConfig c = load(platform("requests: 10, block_size: 16KiB, segment_size: 4KiB, unmap_policy: strict"));
    Platform p("platform", c);
    sc_core::sc_start();
    StorageGenerator& g = gen(p);
    BOOST_TEST(g.segments_per_request() == 4u);
    BOOST_TEST(g.sg_bytes() == 4096u);
    BOOST_TEST(g.blocks() == 3u);
    const DriverStats& s = g.driver_stats();
    BOOST_TEST(s.units == 10u);
    BOOST_TEST(s.map_calls == 10u * 4);  // one per segment
    BOOST_TEST(s.unmap_calls == 10u);    // one per request (the whole IOVA range)
    BOOST_TEST(stat(p, "devices.disk0.descriptor_accesses") == 10.0 * 4);  // one SG entry read per segment
    BOOST_TEST(stat(p, "devices.disk0.descriptor_bytes") == 10.0 * 4 * 16);
    BOOST_TEST(g.transactions() == 10u * 4);  // size = segment_size
    BOOST_TEST(g.bytes() == 10u * 16384);
    BOOST_TEST(g.faults() == 0u);
    // Strict: 4 TLBI_NH_VA + 1 CMD_SYNC per request, after the set-up's CFGI_STE + SYNC.
    BOOST_TEST(g.invalidation_commands() == 40u);
    BOOST_TEST(g.sync_commands() == 10u);
    BOOST_TEST(p.iommus()[0].smmu->stats().commands == 2u + 10u * 5);
    BOOST_TEST(stat(p, "devices.disk0.storage.requests") == 10.0);
    BOOST_TEST(stat(p, "devices.disk0.storage.map_calls") == 40.0);
}

BOOST_AUTO_TEST_CASE(data_lands_at_the_scattered_segments) {
    quiet();
    // write_fraction 1: every request DMA-writes memory. Requests 0, 1, 2
    // cover blocks 0, 1, 2; request 3 overwrites block 0.
    PlatformConfig c = load(platform("requests: 4, block_size: 16KiB, segment_size: 4KiB, size: 1KiB, "
                                     "write_fraction: 1, seed: 5"));
    Platform p("platform", c);
    sc_core::sc_start();
    StorageGenerator& g = gen(p);
    const std::vector<uint64_t> perm = expected_perm(12, 5);
    std::set<uint64_t> distinct(perm.begin(), perm.end());
    BOOST_TEST(distinct.size() == 12u);
    bool identity = true;
    for (uint64_t i = 0; i < 12; ++i) {
        BOOST_TEST(g.physical_segment(i) == perm[i]);
        identity &= perm[i] == i;
    }
    BOOST_TEST(!identity);  // scattered
    BOOST_TEST(g.transactions() == 4u * 16);  // 4 segments x 4 DMAs of 1 KiB
    BOOST_TEST(g.faults() == 0u);
    const SparseMemory& mem = p.memory().backdoor();
    const uint64_t data = g.buffer_pa() + 4096;
    for (uint64_t block = 0; block < 3; ++block) {
        const uint64_t r = block == 0 ? 3 : block;  // the last request on the block
        for (uint64_t s = 0; s < 4; ++s) {
            const uint64_t pa = data + perm[block * 4 + s] * 4096;
            BOOST_TEST(g.segment_pa(block * 4 + s) == pa);
            std::vector<uint8_t> got(4096);
            mem.read(pa, got.data(), got.size());
            size_t bad = 0;
            for (size_t j = 0; j < got.size(); ++j) bad += got[j] != StorageGenerator::payload_byte(r, s * 4096 + j);
            BOOST_TEST(bad == 0u, "block " << block << " segment " << s);
        }
    }
    // The 13th-15th segments (beyond B * S) are never touched.
    uint8_t b = 0xff;
    mem.read(data + 12 * 4096, &b, 1);
    BOOST_TEST(b == 0);
}

BOOST_AUTO_TEST_CASE(outstanding_requests_share_the_flush_queue) {
    quiet();
    // 1 MiB: sg_bytes = roundup(4 * 4 * 16, 4096) = 4096; (1 MiB - 4 KiB) / 4 KiB = 255
    // segments = 63 blocks. flush_batch 4 with 4 threads.
    PlatformConfig c = load(platform("requests: 40, block_size: 16KiB, outstanding: 4, unmap_policy: deferred, "
                                     "flush_batch: 4, write_fraction: 0.5",
                                     "1MiB"));
    Platform p("platform", c);
    StorageGenerator& g = gen(p);
    uint64_t maps = 0;
    g.on_driver_event = [&](const DriverEvent& e) { maps += e.kind == DriverEvent::Kind::Map; };
    sc_core::sc_start();
    BOOST_TEST(maps == 40u * 4);
    BOOST_TEST(g.driver_stats().units == 40u);
    BOOST_TEST(g.driver_stats().unmap_calls == 40u);
    BOOST_TEST(g.faults() == 0u);
    BOOST_TEST(g.queued() == 0u);
    for (uint64_t i = 0; i < g.slots(); ++i)
        BOOST_TEST((g.slot_state(i) == HostDrivenInitiator::SlotState::Free));
    // Every unmap is followed by a flush: 40 entries, at most 4 + 3 queued
    // while a flush runs.
    BOOST_TEST(g.driver_stats().flushes >= 40u / 7);
    BOOST_TEST(g.driver_stats().flushes <= 40u / 4 + 1);
    BOOST_TEST(g.invalidation_commands() == g.driver_stats().flushes);
}

BOOST_AUTO_TEST_CASE(iova_reuse_waits_for_the_flush_with_concurrent_threads) {
    quiet();
    // 3 blocks and 2 threads, flush_batch 8 > 3 slots: the allocator runs
    // dry and flushes (no_iova) or waits for the other thread's flush.
    PlatformConfig c = load(platform("requests: 30, block_size: 16KiB, outstanding: 2, unmap_policy: deferred, "
                                     "flush_batch: 8, write_fraction: 1",
                                     "56KiB"));
    Platform p("platform", c);
    StorageGenerator& g = gen(p);
    BOOST_TEST(g.blocks() == 3u);  // (56 - 4) KiB / 4 KiB = 13 segments -> 3 blocks
    // Unmapped IOVAs and the flush that covers them: a flush covers what
    // was queued when it began (its event's `begin`).
    struct Unmapped {
        uint64_t iova;
        sc_core::sc_time at;
    };
    std::vector<Unmapped> pending;
    uint64_t early = 0, reused = 0;
    std::set<uint64_t> used;
    g.on_driver_event = [&](const DriverEvent& e) {
        switch (e.kind) {
            case DriverEvent::Kind::Map:
                reused += !used.insert(e.iova).second;
                // Map events are per segment: the slot is the block_size run holding e.iova.
                for (const auto& u : pending)
                    early += u.iova == g.slot_iova((e.iova - g.slot_iova(0)) / g.slot_bytes()) ? 1 : 0;
                break;
            case DriverEvent::Kind::Unmap: pending.push_back({e.iova, e.end}); break;
            case DriverEvent::Kind::Flush: {
                std::vector<Unmapped> left;
                for (const auto& u : pending)
                    if (u.at > e.begin) left.push_back(u);
                pending.swap(left);
                break;
            }
        }
    };
    sc_core::sc_start();
    BOOST_TEST(reused == 27u * 4);  // 30 requests over 3 slots: IOVAs are reused...
    BOOST_TEST(early == 0u);        // ...never before the flush that follows their unmap
    BOOST_TEST(g.faults() == 0u);
    BOOST_TEST(g.driver_stats().units == 30u);
    BOOST_TEST(g.driver_stats().flushes_no_iova > 0u);
    // The last request of each block wrote it through a reused IOVA: its data is there.
    const std::vector<uint64_t> perm = expected_perm(12, 1);
    for (uint64_t block = 0; block < 3; ++block) {
        const uint64_t r = 27 + block;  // requests 27, 28, 29 cover blocks 0, 1, 2
        for (uint64_t s = 0; s < 4; ++s) {
            std::vector<uint8_t> got(4096);
            p.memory().backdoor().read(g.buffer_pa() + 4096 + perm[block * 4 + s] * 4096, got.data(), got.size());
            size_t bad = 0;
            for (size_t j = 0; j < got.size(); ++j) bad += got[j] != StorageGenerator::payload_byte(r, s * 4096 + j);
            BOOST_TEST(bad == 0u, "block " << block << " segment " << s);
        }
    }
}

BOOST_AUTO_TEST_CASE(untranslated_storage_transfers_each_segment_at_its_physical_address) {
    quiet();
    PlatformConfig c = load(platform("requests: 3, block_size: 16KiB, write_fraction: 1", "64KiB", "", false));
    Platform p("platform", c);
    sc_core::sc_start();
    StorageGenerator& g = gen(p);
    BOOST_TEST(g.mapper() == nullptr);
    BOOST_TEST(g.driver_stats().map_calls == 0u);
    BOOST_TEST(g.driver_stats().units == 3u);
    BOOST_TEST(g.faults() == 0u);
    const std::vector<uint64_t> perm = expected_perm(12, 1);
    std::vector<uint8_t> got(4096);
    p.memory().backdoor().read(g.buffer_pa() + 4096 + perm[2 * 4 + 3] * 4096, got.data(), got.size());
    BOOST_TEST(got[0] == StorageGenerator::payload_byte(2, 3 * 4096));
    BOOST_TEST(got[4095] == StorageGenerator::payload_byte(2, 3 * 4096 + 4095));
}

BOOST_AUTO_TEST_CASE(none_maps_each_block_once) {
    quiet();
    PlatformConfig c = load(platform("requests: 10, block_size: 16KiB, unmap_policy: none"));
    Platform p("platform", c);
    sc_core::sc_start();
    StorageGenerator& g = gen(p);
    BOOST_TEST(g.driver_stats().map_calls == 3u * 4);  // 3 blocks, 4 segments each, mapped at first use
    BOOST_TEST(g.driver_stats().unmap_calls == 0u);
    BOOST_TEST(g.invalidation_commands() == 0u);
    BOOST_TEST(p.iommus()[0].smmu->stats().commands == 2u);
    BOOST_TEST(g.faults() == 0u);
}

BOOST_AUTO_TEST_CASE(yaml_keys_and_located_errors) {
    const GeneratorParams d = load(platform("requests: 5", "1MiB")).devices[0].traffic;
    BOOST_TEST(d.storage.block_size == 131072u);
    BOOST_TEST(d.storage.segment_size == 4096u);
    BOOST_TEST(d.size == 4096u);
    BOOST_TEST(d.outstanding == 1u);
    BOOST_TEST(d.write_fraction == 0.0);
    BOOST_TEST((d.dma.unmap_policy == UnmapPolicy::Strict));
    BOOST_TEST(error_of(platform("block_size: 6KiB")).find("traffic.block_size': must be a multiple of segment_size") !=
               std::string::npos);
    BOOST_TEST(error_of(platform("segment_size: 2KiB, block_size: 8KiB"))
                   .find("traffic.segment_size': must be a multiple of the device's granule (4096)") !=
               std::string::npos);
    BOOST_TEST(error_of(platform("segment_size: 16KiB, block_size: 32KiB", "64KiB", "    granule: 16k\n")) ==
               "(no error)");
    BOOST_TEST(error_of(platform("size: 8KiB")).find("traffic.size'") != std::string::npos);
    // 64 KiB holds 3 blocks of 16 KiB; 4 outstanding need 4.
    BOOST_TEST(error_of(platform("block_size: 16KiB, outstanding: 4"))
                   .find("traffic.block_size': the device's buffer (65536 bytes) holds 3 blocks") != std::string::npos);
    BOOST_TEST(error_of(platform("packets: 3")).find("traffic.packets': not a key of pattern storage") !=
               std::string::npos);
    BOOST_TEST(error_of(platform("transactions: 3")).find("not a key of pattern storage") != std::string::npos);
    BOOST_TEST(error_of(platform("flush_timeout_ns: 5, unmap_policy: none"))
                   .find("only with unmap_policy: deferred (this device's is none)") != std::string::npos);
}
