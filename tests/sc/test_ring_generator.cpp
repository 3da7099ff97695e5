// pattern: ring (traffic/ring_generator.h) on a real platform built from
// YAML: the commands each unmap policy makes the driver issue (counted by
// the SMMU and per device), where the packet bytes land, the IOVA flush
// queue never reusing an IOVA before its flush, and the YAML keys.
//
// Hand computation used throughout (4 KiB granule, quantum 0):
//   set-up: per translated device, attach() = CFGI_STE + CMD_SYNC
//           (2 commands, 1 invalidation, 1 sync); nothing else.
//   ring_entries 16 -> ring_bytes = roundup(16 * 16, 4096) = 4096.
//   packet_size 1500 -> 1 page per packet buffer (slot 4096);
//   packet_size 9000 -> 3 pages (slot 12288).
//   strict:   per packet, pages x TLBI_NH_VA + 1 CMD_SYNC.
//   deferred: per flush, TLBI_NH_ASID + CMD_SYNC.
//   none:     nothing after set-up.
// One platform per test case (each case runs in its own process).
#define BOOST_TEST_MODULE ring_generator
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include <systemc>

#include "platforms/platform.h"
#include "platforms/platform_config.h"
#include "platforms/yaml_reader.h"
#include "tests/sc/config_helpers.h"
#include "traffic/ring_generator.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using namespace iommusim;

namespace {

void quiet() { sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING); }

PlatformConfig load(const std::string& text) { return test::load_config_text(text); }
std::string error_of(const std::string& text) { return test::config_error_of(text); }

const std::string kHead = "platform: {quantum_ns: 0}\niommus:\n  - {name: smmu0}\ndevices:\n";

std::string device(const std::string& name, const std::string& bdf, const std::string& buffer_size,
                   const std::string& traffic, const std::string& extra = "") {
    return "  - name: " + name + "\n    bdf: \"" + bdf + "\"\n" + extra + "    buffer: {iova: 0x10000000, size: " +
           buffer_size + "}\n    traffic: {pattern: ring, " + traffic + "}\n";
}

RingGenerator& ring(Platform& p, size_t i) { return dynamic_cast<RingGenerator&>(*p.devices().at(i)->gen); }

const smmuv3::Smmuv3Stats& smmu_stats(Platform& p) { return p.iommus().at(0).smmu->stats(); }

}  // namespace

BOOST_AUTO_TEST_CASE(strict_invalidates_every_page_and_syncs_once_per_packet) {
    quiet();
    PlatformConfig c = load(kHead +
                            device("nic0", "00:01.0", "256KiB",
                                   "packets: 32, packet_size: 1500, ring_entries: 16, unmap_policy: strict") +
                            device("nic1", "00:02.0", "256KiB",
                                   "packets: 32, packet_size: 9000, ring_entries: 16, unmap_policy: strict"));
    Platform p("platform", c);
    sc_core::sc_start();
    RingGenerator& a = ring(p, 0);
    RingGenerator& b = ring(p, 1);
    BOOST_TEST(a.ring_bytes() == 4096u);
    BOOST_TEST(a.slot_bytes() == 4096u);
    BOOST_TEST(b.slot_bytes() == 12288u);
    BOOST_TEST(a.faults() == 0u);
    BOOST_TEST(b.faults() == 0u);
    BOOST_TEST(a.driver_stats().units == 32u);
    BOOST_TEST(b.driver_stats().units == 32u);
    BOOST_TEST(a.driver_stats().map_calls == 32u);
    BOOST_TEST(a.driver_stats().unmap_calls == 32u);
    // Per device: pages x TLBI per packet, one CMD_SYNC per packet.
    BOOST_TEST(a.invalidation_commands() == 32u * 1);
    BOOST_TEST(a.sync_commands() == 32u);
    BOOST_TEST(b.invalidation_commands() == 32u * 3);
    BOOST_TEST(b.sync_commands() == 32u);
    BOOST_TEST(a.driver_stats().flushes == 0u);
    // SMMU totals: 2 x (CFGI_STE + SYNC) at set-up, then the above.
    const auto& s = smmu_stats(p);
    BOOST_TEST(s.commands == 4u + 32u * (1 + 1) + 32u * (3 + 1));
    BOOST_TEST(s.invalidations == 2u + 32u * 1 + 32u * 3);
    BOOST_TEST(s.syncs == 2u + 32u + 32u);
    BOOST_TEST(s.command_errors == 0u);
    // Transactions: ceil(1500 / 256) = 6 and ceil(9000 / 256) = 36 per packet.
    BOOST_TEST(a.transactions() == 32u * 6);
    BOOST_TEST(b.transactions() == 32u * 36);
    BOOST_TEST(a.driver_stats().unmap_ns.count() == 32u);
    BOOST_TEST(a.driver_stats().unmap_ns.min() > 0.0);  // invalidation + sync take simulated time
}

BOOST_AUTO_TEST_CASE(deferred_flushes_once_per_batch_and_at_the_end) {
    quiet();
    PlatformConfig c = load(
        kHead +
        device("nic0", "00:01.0", "256KiB",
               "packets: 32, ring_entries: 16, unmap_policy: deferred, flush_batch: 8") +
        device("nic1", "00:02.0", "256KiB",
               "packets: 36, ring_entries: 16, unmap_policy: deferred, flush_batch: 8"));
    Platform p("platform", c);
    sc_core::sc_start();
    const DriverStats& a = ring(p, 0).driver_stats();
    const DriverStats& b = ring(p, 1).driver_stats();
    // 32 = 4 x 8: four full flushes, nothing left; 36 = 4 x 8 + 4: one final flush.
    BOOST_TEST(a.flushes == 4u);
    BOOST_TEST(a.flushes_full == 4u);
    BOOST_TEST(a.flushes_final == 0u);
    BOOST_TEST(b.flushes == 5u);
    BOOST_TEST(b.flushes_full == 4u);
    BOOST_TEST(b.flushes_final == 1u);
    BOOST_TEST(a.flushes_no_iova == 0u);  // 63 slots > flush_batch
    BOOST_TEST(a.max_queued == 8u);
    BOOST_TEST(ring(p, 0).invalidation_commands() == 4u);
    BOOST_TEST(ring(p, 0).sync_commands() == 4u);
    BOOST_TEST(ring(p, 1).invalidation_commands() == 5u);
    const auto& s = smmu_stats(p);
    BOOST_TEST(s.commands == 4u + 2u * 4 + 2u * 5);  // strict would be 4 + 2 x 32 + 2 x 36
    BOOST_TEST(s.invalidations == 2u + 4u + 5u);
    BOOST_TEST(s.syncs == 2u + 4u + 5u);
    BOOST_TEST(ring(p, 0).faults() == 0u);
    BOOST_TEST(ring(p, 1).faults() == 0u);
    BOOST_TEST(ring(p, 0).queued() == 0u);
    for (uint64_t i = 0; i < ring(p, 0).slots(); ++i)
        BOOST_TEST((ring(p, 0).slot_state(i) == HostDrivenInitiator::SlotState::Free));
}

BOOST_AUTO_TEST_CASE(none_maps_each_buffer_once_and_never_invalidates) {
    quiet();
    // 256 KiB - 4 KiB ring = 63 packet buffers; 100 packets reuse them.
    PlatformConfig c =
        load(kHead + device("nic0", "00:01.0", "256KiB", "packets: 100, ring_entries: 16, unmap_policy: none"));
    Platform p("platform", c);
    sc_core::sc_start();
    RingGenerator& g = ring(p, 0);
    BOOST_TEST(g.buffers() == 63u);
    BOOST_TEST(g.driver_stats().map_calls == 63u);
    BOOST_TEST(g.driver_stats().unmap_calls == 0u);
    BOOST_TEST(g.driver_stats().unmap_ns.count() == 0u);
    BOOST_TEST(g.invalidation_commands() == 0u);
    BOOST_TEST(g.faults() == 0u);
    const auto& s = smmu_stats(p);
    BOOST_TEST(s.commands == 2u);  // the set-up's CFGI_STE + SYNC only
    BOOST_TEST(s.invalidations == 1u);
    for (uint64_t i = 0; i < g.slots(); ++i)
        BOOST_TEST((g.slot_state(i) == HostDrivenInitiator::SlotState::Persistent));
}

BOOST_AUTO_TEST_CASE(rx_packets_and_descriptors_land_in_physical_memory) {
    quiet();
    PlatformConfig c = load(kHead + device("nic0", "00:01.0", "256KiB",
                                           "packets: 10, packet_size: 1500, ring_entries: 16, unmap_policy: strict"));
    Platform p("platform", c);
    sc_core::sc_start();
    RingGenerator& g = ring(p, 0);
    const SparseMemory& mem = p.memory().backdoor();
    BOOST_TEST(g.buffer_pa() == p.devices()[0]->buffer_pa);
    for (uint64_t k = 0; k < 10; ++k) {
        // Packet k in buffer k (10 < 63 buffers) at buffer_pa + 4096 + k * 4096.
        const uint64_t pa = g.buffer_pa() + 4096 + k * 4096;
        BOOST_TEST(g.buffer_pa_of(k) == pa);
        std::vector<uint8_t> got(1500);
        mem.read(pa, got.data(), got.size());
        size_t bad = 0;
        for (size_t j = 0; j < got.size(); ++j) bad += got[j] != RingGenerator::payload_byte(k, j);
        BOOST_TEST(bad == 0u, "packet " << k);
        uint8_t after = 0xff;
        mem.read(pa + 1500, &after, 1);
        BOOST_TEST(after == 0);  // nothing beyond the packet
        // Strict frees the slot at once: every packet used IOVA slot 0
        // = 0x10000000 + 4096; the write-back holds {iova, length, status 1}.
        uint64_t iova = 0;
        uint32_t len = 0, status = 0;
        mem.read(g.buffer_pa() + k * 16, &iova, 8);
        mem.read(g.buffer_pa() + k * 16 + 8, &len, 4);
        mem.read(g.buffer_pa() + k * 16 + 12, &status, 4);
        BOOST_TEST(iova == 0x10001000u);
        BOOST_TEST(len == 1500u);
        BOOST_TEST(status == 1u);
    }
    BOOST_TEST(g.faults() == 0u);
}

BOOST_AUTO_TEST_CASE(deferred_never_reuses_an_iova_before_its_flush) {
    quiet();
    // 28 KiB = 4 KiB ring + 6 packet buffers / IOVA slots; flush_batch 8 > 6
    // slots, so the allocator runs dry every 6 packets and flushes
    // (no_iova) at the start of packets 6, 12 and 18; packets 18 and 19 are
    // flushed at the end.
    PlatformConfig c = load(kHead + device("nic0", "00:01.0", "28KiB",
                                           "packets: 20, ring_entries: 16, unmap_policy: deferred, flush_batch: 8"));
    Platform p("platform", c);
    RingGenerator& g = ring(p, 0);
    std::set<uint64_t> pending;  // unmapped, not yet flushed
    std::map<uint64_t, uint64_t> iova_pa;
    uint64_t reused_early = 0, maps = 0, reuses = 0;
    g.on_driver_event = [&](const DriverEvent& e) {
        switch (e.kind) {
            case DriverEvent::Kind::Map:
                maps++;
                reused_early += pending.count(e.iova);
                reuses += iova_pa.count(e.iova);
                iova_pa[e.iova] = e.pa;
                break;
            case DriverEvent::Kind::Unmap:
                BOOST_TEST(!e.strict);
                pending.insert(e.iova);
                break;
            case DriverEvent::Kind::Flush: pending.clear(); break;  // one thread: everything queued was unmapped before
        }
    };
    sc_core::sc_start();
    BOOST_TEST(g.buffers() == 6u);
    BOOST_TEST(maps == 20u);
    BOOST_TEST(reuses == 14u);  // IOVAs were reused...
    BOOST_TEST(reused_early == 0u);  // ...but never before a flush
    const DriverStats& s = g.driver_stats();
    BOOST_TEST(s.flushes_no_iova == 3u);
    BOOST_TEST(s.flushes_final == 1u);
    BOOST_TEST(s.flushes_full == 0u);
    BOOST_TEST(s.flushes == 4u);
    BOOST_TEST(g.faults() == 0u);
    // Reuse maps IOVAs to other buffers (slot 5 first held buffer 5, then
    // buffer 0): every buffer holds the last packet sent to it, so no write
    // went through a stale translation. (Freeing IOVAs at unmap instead of
    // after the flush makes packets 1-7 hit the IOTLB's stale slot-0 entry
    // and land in buffer 0: this check fails.)
    const uint64_t last[6] = {18, 19, 14, 15, 16, 17};
    for (uint64_t b = 0; b < 6; ++b) {
        std::vector<uint8_t> got(1500);
        p.memory().backdoor().read(g.buffer_pa_of(b), got.data(), got.size());
        size_t bad = 0;
        for (size_t j = 0; j < got.size(); ++j) bad += got[j] != RingGenerator::payload_byte(last[b], j);
        BOOST_TEST(bad == 0u, "buffer " << b);
    }
}

BOOST_AUTO_TEST_CASE(deferred_flushes_when_the_oldest_entry_times_out) {
    quiet();
    // A packet takes ~0.8 us plus a 1 us gap: the period T is within
    // [1.25, 2.5) us, so the oldest queued entry reaches 2.5 us when the
    // third entry is queued: flushes at packets 2, 5, 8 (timeout); packet 9
    // is flushed at the end. flush_batch 256 is never reached.
    PlatformConfig c = load(kHead + device("nic0", "00:01.0", "256KiB",
                                           "packets: 10, ring_entries: 16, packet_gap_ns: 1000, "
                                           "unmap_policy: deferred, flush_batch: 256, flush_timeout_ns: 2500"));
    Platform p("platform", c);
    sc_core::sc_start();
    const DriverStats& s = ring(p, 0).driver_stats();
    const double period = s.latency_ns.mean() + 1000;
    BOOST_TEST(period >= 1250.0);
    BOOST_TEST(period < 2500.0);
    BOOST_TEST(s.flushes_timeout == 3u);
    BOOST_TEST(s.flushes_final == 1u);
    BOOST_TEST(s.flushes_full == 0u);
    BOOST_TEST(s.max_queued == 3u);
    BOOST_TEST(ring(p, 0).faults() == 0u);
}

BOOST_AUTO_TEST_CASE(strict_unmap_and_packet_latency_cost_more_than_deferred) {
    quiet();
    PlatformConfig c = load(
        kHead + device("nic0", "00:01.0", "2MiB", "packets: 600, unmap_policy: strict") +
        device("nic1", "00:02.0", "2MiB", "packets: 600, unmap_policy: deferred"));
    Platform p("platform", c);
    sc_core::sc_start();
    const DriverStats& strict = ring(p, 0).driver_stats();
    const DriverStats& deferred = ring(p, 1).driver_stats();
    BOOST_TEST(strict.unmap_ns.count() == 600u);
    BOOST_TEST(deferred.unmap_ns.count() == 600u);
    BOOST_TEST(strict.unmap_ns.mean() > 10 * deferred.unmap_ns.mean());
    BOOST_TEST(strict.latency_ns.mean() > deferred.latency_ns.mean());
    // 600 = 2 x 256 + 88: two full flushes and a final one.
    BOOST_TEST(deferred.flushes == 3u);
    BOOST_TEST(ring(p, 0).invalidation_commands() + ring(p, 0).sync_commands() == 1200u);
    BOOST_TEST(ring(p, 1).invalidation_commands() + ring(p, 1).sync_commands() == 6u);
    // Map is page-table stores only: no simulated time.
    BOOST_TEST(strict.map_ns.max() == 0.0);
}

BOOST_AUTO_TEST_CASE(untranslated_ring_uses_physical_addresses) {
    quiet();
    PlatformConfig c = load(kHead + device("nic0", "00:01.0", "64KiB", "packets: 20, ring_entries: 16, direction: rx",
                                           "    translation: bypass\n"));
    Platform p("platform", c);
    sc_core::sc_start();
    RingGenerator& g = ring(p, 0);
    BOOST_TEST(g.mapper() == nullptr);
    BOOST_TEST(g.driver_stats().map_calls == 0u);
    BOOST_TEST(g.driver_stats().units == 20u);
    BOOST_TEST(g.faults() == 0u);
    BOOST_TEST(smmu_stats(p).commands == 2u);  // attach_bypass: CFGI_STE + SYNC
    // 15 buffers: packet 17 is the last in buffer 2; its write-back at
    // descriptor 17 mod 16 = 1 holds its physical address.
    BOOST_TEST(g.buffers() == 15u);
    std::vector<uint8_t> got(1500);
    p.memory().backdoor().read(g.buffer_pa_of(2), got.data(), got.size());
    size_t bad = 0;
    for (size_t j = 0; j < got.size(); ++j) bad += got[j] != RingGenerator::payload_byte(17, j);
    BOOST_TEST(bad == 0u);
    uint64_t addr = 0;
    p.memory().backdoor().read(g.buffer_pa() + 1 * 16, &addr, 8);
    BOOST_TEST(addr == g.buffer_pa_of(2));
}

BOOST_AUTO_TEST_CASE(tx_reads_the_packets) {
    quiet();
    PlatformConfig c = load(kHead + device("nic0", "00:01.0", "64KiB",
                                           "packets: 5, packet_size: 1000, size: 128, direction: tx, ring_entries: 16"));
    Platform p("platform", c);
    uint64_t reads = 0, writes = 0;
    ring(p, 0).on_complete = [&](const DmaInitiator::Completed& d) { (d.write ? writes : reads)++; };
    sc_core::sc_start();
    BOOST_TEST(reads == 5u * 8);  // ceil(1000 / 128) = 8 payload reads per packet
    BOOST_TEST(writes == 0u);     // (descriptor write-backs are not payload)
    BOOST_TEST(ring(p, 0).bytes() == 5000u);
}

BOOST_AUTO_TEST_CASE(yaml_keys_of_other_patterns_are_refused_at_their_location) {
    const std::string h = kHead + "  - name: d0\n    bdf: \"00:01.0\"\n    buffer: {iova: 0x10000000, size: 64KiB}\n";
    // Line 8: the traffic line; columns are those of the value.
    BOOST_TEST(error_of(h + "    traffic: {pattern: sequential, packets: 5}\n").find("8:45: 'devices[0].traffic.packets': "
                                                                                   "not a key of pattern sequential") == 0u);
    BOOST_TEST(error_of(h + "    traffic: {pattern: ring, transactions: 5}\n").find("'devices[0].traffic.transactions': "
                                                                                     "not a key of pattern ring") !=
               std::string::npos);
    BOOST_TEST(error_of(h + "    traffic: {pattern: ring, block_size: 4KiB}\n").find("traffic.block_size': not a key of "
                                                                                      "pattern ring") !=
               std::string::npos);
    for (const char* k : {"gap_ns: 5", "outstanding: 2", "seed: 3", "write_fraction: 0.5", "rate_mtps: 1",
                          "bytes: 10", "stride: 64", "requests: 3"})
        BOOST_TEST(error_of(h + "    traffic: {pattern: ring, " + k + "}\n").find("not a key of pattern ring") !=
                       std::string::npos,
                   k);
    BOOST_TEST(error_of(h + "    traffic: {pattern: storage, packet_size: 64}\n").find("not a key of pattern storage") !=
               std::string::npos);
    BOOST_TEST(error_of(h + "    traffic: {pattern: storage, gap_ns: 1}\n").find("not a key of pattern storage") !=
               std::string::npos);
    // The flush queue's keys need unmap_policy: deferred.
    BOOST_TEST(error_of(h + "    traffic: {pattern: ring, flush_batch: 8}\n")
                   .find("traffic.flush_batch': only with unmap_policy: deferred (this device's is strict)") !=
               std::string::npos);
    BOOST_TEST(error_of(h + "    traffic: {pattern: ring, unmap_policy: lazy}\n").find("unmap_policy") !=
               std::string::npos);
    // The buffer must hold the ring and a packet buffer: 64 KiB < 4 KiB + 64 KiB.
    BOOST_TEST(error_of(h + "    traffic: {pattern: ring, packet_size: 64KiB}\n")
                   .find("traffic.packet_size': the device's buffer (65536 bytes) must hold the ring (4096 bytes) "
                         "and at least one packet buffer (65536 bytes") != std::string::npos);
    BOOST_TEST(error_of(h + "    traffic: {pattern: ring, ring_entries: 4096}\n").find("traffic.ring_entries'") !=
               std::string::npos);
    BOOST_TEST(error_of(h + "    traffic: {pattern: ring, direction: sideways}\n").find("traffic.direction'") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(yaml_defaults_and_every_key) {
    const std::string h = kHead + "  - name: d0\n    bdf: \"00:01.0\"\n    buffer: {iova: 0x10000000, size: 4MiB}\n";
    const GeneratorParams d = load(h + "    traffic: {pattern: ring}\n").devices[0].traffic;
    BOOST_TEST(d.ring.packets == 1000u);
    BOOST_TEST(d.ring.packet_size == 1500u);
    BOOST_TEST(d.size == 256u);
    BOOST_TEST(d.ring.ring_entries == 256u);
    BOOST_TEST(!d.ring.tx);
    BOOST_TEST((d.dma.unmap_policy == UnmapPolicy::Strict));
    BOOST_TEST(d.ring.packet_gap_ns == 0.0);
    const GeneratorParams g =
        load(h + "    traffic: {pattern: ring, packets: 7, packet_size: 9000, size: 512, ring_entries: 64, "
                 "direction: tx, unmap_policy: deferred, flush_batch: 32, flush_timeout_ns: 5e5, "
                 "packet_gap_ns: 100, duration_ns: 1e6, pasid: 3}\n")
            .devices[0]
            .traffic;
    BOOST_TEST(g.ring.packets == 7u);
    BOOST_TEST(g.ring.packet_size == 9000u);
    BOOST_TEST(g.size == 512u);
    BOOST_TEST(g.ring.ring_entries == 64u);
    BOOST_TEST(g.ring.tx);
    BOOST_TEST((g.dma.unmap_policy == UnmapPolicy::Deferred));
    BOOST_TEST(g.dma.flush_batch == 32u);
    BOOST_TEST(g.dma.flush_timeout_ns == 5e5);
    BOOST_TEST(g.ring.packet_gap_ns == 100.0);
    BOOST_TEST(g.duration_ns == 1e6);
    BOOST_TEST(g.pasid_valid);
    BOOST_TEST(g.pasid == 3u);
    const GeneratorParams dd = load(h + "    traffic: {pattern: ring, unmap_policy: deferred}\n").devices[0].traffic;
    BOOST_TEST(dd.dma.flush_batch == 256u);
    BOOST_TEST(dd.dma.flush_timeout_ns == 1e7);
}

BOOST_AUTO_TEST_CASE(resolved_config_reloads_to_the_same_parameters) {
    const std::string text =
        kHead + device("nic0", "00:01.0", "2MiB", "packets: 50, unmap_policy: deferred, flush_batch: 16") +
        device("nic1", "00:02.0", "2MiB", "packets: 50, unmap_policy: none, direction: tx") +
        "  - name: disk0\n    bdf: \"00:03.0\"\n    buffer: {size: 4MiB}\n"
        "    traffic: {pattern: storage, requests: 9, outstanding: 2, write_fraction: 0.5, unmap_policy: deferred}\n";
    const PlatformConfig a = load(text);
    YAML::Emitter e;
    e << a.resolved;
    const PlatformConfig b = load(e.c_str());
    BOOST_REQUIRE(b.devices.size() == 3u);
    for (size_t i = 0; i < 3; ++i) {
        const GeneratorParams& x = a.devices[i].traffic;
        const GeneratorParams& y = b.devices[i].traffic;
        BOOST_TEST(x.pattern == y.pattern);
        BOOST_TEST(x.ring.packets == y.ring.packets);
        BOOST_TEST(x.ring.tx == y.ring.tx);
        BOOST_TEST(x.size == y.size);
        BOOST_TEST((x.dma.unmap_policy == y.dma.unmap_policy));
        BOOST_TEST(x.dma.flush_batch == y.dma.flush_batch);
        BOOST_TEST(x.storage.requests == y.storage.requests);
        BOOST_TEST(x.storage.block_size == y.storage.block_size);
        BOOST_TEST(x.outstanding == y.outstanding);
        BOOST_TEST(x.write_fraction == y.write_fraction);
        BOOST_TEST(x.seed == y.seed);
    }
    // Only the keys of each pattern are written (a strict/none device has no flush keys).
    BOOST_TEST(!a.resolved["devices"][1]["traffic"]["flush_batch"]);
    BOOST_TEST(!a.resolved["devices"][0]["traffic"]["transactions"]);
    BOOST_TEST(a.resolved["devices"][0]["traffic"]["flush_timeout_ns"]);
}

BOOST_AUTO_TEST_CASE(shipped_example_runs_and_reports_the_ring) {
    const fs::path out = fs::temp_directory_path() / ("iommusim-ring-example-" + std::to_string(::getpid()));
    const std::string bin = IOMMUSIM_BIN;
    const std::string cfg = std::string(IOMMUSIM_SOURCE_DIR) + "/configs/ring-strict-vs-deferred.yaml";
    const std::string log = (out.string() + ".log");
    int st = std::system((bin + " run " + cfg + " --out " + out.string() + " > " + log + " 2>&1").c_str());
    BOOST_REQUIRE(WIFEXITED(st));
    BOOST_TEST(WEXITSTATUS(st) == 0);
    std::ifstream summary(log);
    const std::string text((std::istreambuf_iterator<char>(summary)), std::istreambuf_iterator<char>());
    BOOST_TEST(text.find("ring/strict") != std::string::npos);
    BOOST_TEST(text.find("ring/deferred") != std::string::npos);
    std::ifstream js(out / "stats.json");
    const std::string json((std::istreambuf_iterator<char>(js)), std::istreambuf_iterator<char>());
    BOOST_TEST(json.find("\"ring\": {") != std::string::npos);
    BOOST_TEST(json.find("\"unmap_ns\"") != std::string::npos);
    // The resolved configuration runs again.
    st = std::system((bin + " run " + (out / "config.yaml").string() + " --quiet --out " + out.string() + "-2").c_str());
    BOOST_REQUIRE(WIFEXITED(st));
    BOOST_TEST(WEXITSTATUS(st) == 0);
    fs::remove_all(out);
    fs::remove_all(out.string() + "-2");
    fs::remove(log);
}
