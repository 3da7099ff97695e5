// DmaGenerator (traffic/dma_generator.h) bound straight to a recording TLM
// target that answers every transaction after a fixed 50 ns.
//
// Address stream, from the definitions in traffic/pattern/address_pattern.h
// (the patterns' own unit tests cover every pattern; here: the generator
// feeds them the device's window):
//   slots = window / size
//   sequential: base + (i * stride) % (slots * size)   (stride 0 = size)
//   random:     base + (uniform slot in [0, slots)) * size
// Closed loop with one outstanding transaction by default; waits for the
// start event, and with the default global quantum of 0 synchronises after
// every transaction, so transaction i is issued at
// start + i * (target delay + gap).
//
// One bench per test case (each case runs in its own process).
#define BOOST_TEST_MODULE dma_generator
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/common/stats.h"
#include "models/common/tlm/dma_ext.h"
#include "traffic/dma_generator.h"

using namespace iommusim;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;
using sc_core::sc_time;

namespace {

const sc_time kTargetDelay(50, SC_NS);

struct Record {
    uint64_t addr = 0;
    unsigned len = 0;
    tlm::tlm_command cmd = tlm::TLM_IGNORE_COMMAND;
    bool has_ext = false;
    uint16_t rid = 0;
    uint16_t segment = 0;
    bool pasid_valid = false;
    uint32_t pasid = 0;
    sc_time issued;  // simulated time + local offset when the call arrived
};

// Records every transaction, adds 50 ns, answers OK unless fail(addr).
class Recorder : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Recorder> in;
    std::vector<Record> log;
    std::function<bool(uint64_t)> fail;

    Recorder(const sc_core::sc_module_name& n, std::function<bool(uint64_t)> f)
        : sc_module(n), in("in"), fail(std::move(f)) {
        in.register_b_transport(this, &Recorder::b_transport);
    }

    std::vector<uint64_t> addresses() const {
        std::vector<uint64_t> a;
        for (const auto& r : log) a.push_back(r.addr);
        return a;
    }

private:
    void b_transport(tlm::tlm_generic_payload& tx, sc_time& delay) {
        Record r;
        r.addr = tx.get_address();
        r.len = tx.get_data_length();
        r.cmd = tx.get_command();
        r.issued = sc_core::sc_time_stamp() + delay;
        if (auto* ext = tx.get_extension<DmaExtension>()) {
            r.has_ext = true;
            r.rid = ext->rid.value;
            r.segment = ext->segment;
            r.pasid_valid = ext->pasid_valid;
            r.pasid = ext->pasid;
        }
        log.push_back(r);
        delay += kTargetDelay;
        tx.set_response_status(fail && fail(r.addr) ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_OK_RESPONSE);
    }
};

struct GenSpec {
    GeneratorParams p;
    RequesterId rid;
    uint16_t segment = 0;
    uint64_t base = 0x10000;
    uint64_t window = 0x1000;
    std::function<bool(uint64_t)> fail;
};

// Generators each bound to their own recorder, all started by one event.
class Bench : public sc_core::sc_module {
public:
    sc_core::sc_event start;  // declared before the generators that hold a reference
    std::vector<std::unique_ptr<DmaGenerator>> gens;
    std::vector<std::unique_ptr<Recorder>> tgts;

    SC_HAS_PROCESS(Bench);
    Bench(const sc_core::sc_module_name& n, const std::vector<GenSpec>& specs, sc_time start_at)
        : sc_module(n), start_at_(start_at) {
        for (size_t i = 0; i < specs.size(); ++i) {
            const GenSpec& s = specs[i];
            gens.push_back(std::make_unique<DmaGenerator>(("gen" + std::to_string(i)).c_str(), s.p, s.rid,
                                                          s.segment, s.base, s.window, start));
            tgts.push_back(std::make_unique<Recorder>(("tgt" + std::to_string(i)).c_str(), s.fail));
            gens.back()->out.bind(tgts.back()->in);
        }
        SC_THREAD(kick);
    }

private:
    void kick() {
        if (start_at_ != SC_ZERO_TIME) wait(start_at_);
        start.notify(SC_ZERO_TIME);  // delta notification: every generator is already waiting
    }
    sc_time start_at_;
};

void quiet() { sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING); }

GeneratorParams params(const std::string& pattern, uint64_t n, uint32_t size = 64, uint64_t stride = 0) {
    GeneratorParams p;
    p.pattern = pattern;
    p.transactions = n;
    p.size = size;
    p.shape.stride = stride;
    return p;
}

double stat(const StatsRegistry& reg, const std::string& name) {
    for (const auto& [k, v] : reg.flatten())
        if (k == name) return v;
    BOOST_FAIL("no statistic " + name);
    return -1;
}

}  // namespace

// libsystemc references sc_main; Boost.Test provides main().
int sc_main(int, char**) { return 0; }

BOOST_AUTO_TEST_CASE(sequential_wraps_after_window) {
    quiet();
    // size 64, window 4 KiB at 0x10000: slots = 4096 / 64 = 64, so
    // transaction i goes to 0x10000 + (i * 64) % 4096; i = 64 wraps to 0x10000.
    GenSpec s;
    s.p = params("sequential", 130);
    Bench b("bench", {s}, SC_ZERO_TIME);
    sc_core::sc_start();
    const auto& log = b.tgts[0]->log;
    BOOST_TEST_REQUIRE(log.size() == 130u);
    BOOST_TEST(log[0].addr == 0x10000u);
    BOOST_TEST(log[1].addr == 0x10040u);
    BOOST_TEST(log[2].addr == 0x10080u);
    BOOST_TEST(log[63].addr == 0x10FC0u);
    BOOST_TEST(log[64].addr == 0x10000u);
    BOOST_TEST(log[65].addr == 0x10040u);
    BOOST_TEST(log[129].addr == 0x10040u);  // 129 % 64 = 1
    for (size_t i = 0; i < log.size(); ++i) {
        BOOST_TEST_REQUIRE(log[i].addr == 0x10000u + (i % 64) * 0x40);
        BOOST_TEST_REQUIRE(log[i].len == 64u);
    }
    BOOST_TEST(b.gens[0]->transactions() == 130u);
    BOOST_TEST(b.gens[0]->bytes() == 130u * 64u);
    BOOST_TEST(b.gens[0]->faults() == 0u);
    BOOST_TEST(b.gens[0]->finished());
}

BOOST_AUTO_TEST_CASE(sequential_with_stride) {
    quiet();
    // stride 4096 over 16 KiB: (i * 4096) % 16384 -> 0, 0x1000, 0x2000, 0x3000, 0.
    GenSpec s;
    s.p = params("sequential", 6, 64, 4096);
    s.window = 0x4000;
    Bench b("bench", {s}, SC_ZERO_TIME);
    sc_core::sc_start();
    BOOST_TEST(b.tgts[0]->addresses() ==
                   (std::vector<uint64_t>{0x10000, 0x11000, 0x12000, 0x13000, 0x10000, 0x11000}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(random_is_in_window_aligned_and_seeded) {
    quiet();
    // Window 64 KiB at 0x100000, size 64: 1024 slots. Two generators with
    // seed 7 and one with seed 8, 1000 transactions each.
    std::vector<GenSpec> specs(3);
    const uint64_t seeds[3] = {7, 7, 8};
    for (int i = 0; i < 3; ++i) {
        specs[i].p = params("random", 1000);
        specs[i].p.seed = seeds[i];
        specs[i].base = 0x100000;
        specs[i].window = 0x10000;
    }
    Bench b("bench", specs, SC_ZERO_TIME);
    sc_core::sc_start();
    const auto a = b.tgts[0]->addresses(), same = b.tgts[1]->addresses(), other = b.tgts[2]->addresses();
    BOOST_TEST_REQUIRE(a.size() == 1000u);
    BOOST_TEST_REQUIRE(other.size() == 1000u);
    for (uint64_t x : a) {
        BOOST_TEST_REQUIRE(x >= 0x100000u);
        BOOST_TEST_REQUIRE(x + 64 <= 0x110000u);  // whole transaction inside the window
        BOOST_TEST_REQUIRE(x % 64 == 0u);
    }
    for (uint64_t x : other) {
        BOOST_TEST_REQUIRE(x >= 0x100000u);
        BOOST_TEST_REQUIRE(x + 64 <= 0x110000u);
        BOOST_TEST_REQUIRE(x % 64 == 0u);
    }
    const bool same_stream = a == same, other_stream = a != other;
    BOOST_TEST(same_stream);   // same seed, same stream
    BOOST_TEST(other_stream);  // another seed, another stream
    // Uniform over 1024 slots: 1000 draws hit about 1024 * (1 - e^(-1000/1024))
    // ~ 638 distinct slots; a loose lower bound catches a stuck generator.
    BOOST_TEST(std::set<uint64_t>(a.begin(), a.end()).size() > 300u);
}

BOOST_AUTO_TEST_CASE(write_fraction_selects_commands) {
    quiet();
    std::vector<GenSpec> specs(3);
    const double wf[3] = {0.0, 1.0, 0.5};
    for (int i = 0; i < 3; ++i) {
        specs[i].p = params("sequential", 200);
        specs[i].p.write_fraction = wf[i];
    }
    Bench b("bench", specs, SC_ZERO_TIME);
    StatsRegistry reg;
    for (int i = 0; i < 3; ++i) b.gens[i]->register_stats(reg, "g" + std::to_string(i));
    sc_core::sc_start();
    unsigned writes[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST_REQUIRE(b.tgts[i]->log.size() == 200u);
        for (const auto& r : b.tgts[i]->log) {
            BOOST_TEST_REQUIRE((r.cmd == tlm::TLM_READ_COMMAND || r.cmd == tlm::TLM_WRITE_COMMAND));
            writes[i] += r.cmd == tlm::TLM_WRITE_COMMAND;
        }
    }
    BOOST_TEST(writes[0] == 0u);    // write_fraction 0: all reads
    BOOST_TEST(writes[1] == 200u);  // write_fraction 1: all writes
    // 0.5: binomial(200, 0.5), mean 100, sd ~7; both kinds certainly occur.
    BOOST_TEST(writes[2] > 50u);
    BOOST_TEST(writes[2] < 150u);
    // The registered counters agree with what the target saw.
    BOOST_TEST(stat(reg, "g0.reads") == 200.0);
    BOOST_TEST(stat(reg, "g0.writes") == 0.0);
    BOOST_TEST(stat(reg, "g1.reads") == 0.0);
    BOOST_TEST(stat(reg, "g1.writes") == 200.0);
    BOOST_TEST(stat(reg, "g2.writes") == double(writes[2]));
    BOOST_TEST(stat(reg, "g2.reads") == double(200 - writes[2]));
    BOOST_TEST(stat(reg, "g2.transactions") == 200.0);
    BOOST_TEST(stat(reg, "g2.bytes") == 200.0 * 64);
}

BOOST_AUTO_TEST_CASE(requester_id_and_segment_in_extension) {
    quiet();
    GenSpec s;
    s.p = params("sequential", 10);
    s.rid = RequesterId::make(0x3a, 0x1f, 5);  // (0x3a << 8) | (0x1f << 3) | 5 = 0x3afd
    s.segment = 2;
    Bench b("bench", {s}, SC_ZERO_TIME);
    sc_core::sc_start();
    BOOST_TEST(b.gens[0]->requester_id().value == 0x3afdu);
    BOOST_TEST_REQUIRE(b.tgts[0]->log.size() == 10u);
    for (const auto& r : b.tgts[0]->log) {
        BOOST_TEST_REQUIRE(r.has_ext);
        BOOST_TEST(r.rid == 0x3afdu);
        BOOST_TEST(r.segment == 2u);
    }
}

BOOST_AUTO_TEST_CASE(latency_of_fixed_delay_target) {
    quiet();
    GenSpec s;
    s.p = params("sequential", 100);
    Bench b("bench", {s}, SC_ZERO_TIME);
    sc_core::sc_start();
    const DmaGenerator& g = *b.gens[0];
    // Every transaction takes exactly the target's 50 ns.
    BOOST_TEST(g.latency_ns().count() == 100u);
    BOOST_TEST(g.latency_ns().mean() == 50.0);
    BOOST_TEST(g.latency_ns().min() == 50.0);
    BOOST_TEST(g.latency_ns().max() == 50.0);
    // The target does no translation.
    BOOST_TEST(g.translation_ns().count() == 100u);
    BOOST_TEST(g.translation_ns().max() == 0.0);
    // Closed loop: transaction i issued at i * 50 ns, the run ends at 100 * 50 ns.
    const auto& log = b.tgts[0]->log;
    BOOST_TEST_REQUIRE(log.size() == 100u);
    for (size_t i = 0; i < log.size(); ++i) BOOST_TEST_REQUIRE(log[i].issued == double(i) * kTargetDelay);
    BOOST_TEST(g.start_time() == SC_ZERO_TIME);
    BOOST_TEST(g.finish_time() == sc_time(5000, SC_NS));
}

BOOST_AUTO_TEST_CASE(waits_for_start_event_and_honours_gap) {
    quiet();
    GenSpec s;
    s.p = params("sequential", 10);
    s.p.gap_ns = 25;
    Bench b("bench", {s}, sc_time(1, sc_core::SC_US));  // start event at 1 us
    sc_core::sc_start();
    const auto& log = b.tgts[0]->log;
    BOOST_TEST_REQUIRE(log.size() == 10u);
    // Transaction i issued at 1000 + i * (50 + 25) ns.
    for (size_t i = 0; i < log.size(); ++i)
        BOOST_TEST_REQUIRE(log[i].issued == sc_time(1000 + 75.0 * double(i), SC_NS));
    BOOST_TEST(b.gens[0]->start_time() == sc_time(1, sc_core::SC_US));
    // The gap is idle time, not part of the measured latency.
    BOOST_TEST(b.gens[0]->latency_ns().max() == 50.0);
    // The gap separates transactions: the last one (issued at 1675 ns)
    // completes at 1725 ns and no gap follows it.
    BOOST_TEST(b.gens[0]->finish_time() == sc_time(1725, SC_NS));
}

BOOST_AUTO_TEST_CASE(random_addresses_do_not_depend_on_write_fraction) {
    quiet();
    std::vector<GenSpec> specs(2);
    for (int i = 0; i < 2; ++i) {
        specs[i].p = params("random", 200);
        specs[i].p.seed = 3;
        specs[i].p.write_fraction = i == 0 ? 0.0 : 0.5;
        specs[i].base = 0x100000;
        specs[i].window = 0x10000;
    }
    Bench b("bench", specs, SC_ZERO_TIME);
    sc_core::sc_start();
    const bool same_addresses = b.tgts[0]->addresses() == b.tgts[1]->addresses();
    BOOST_TEST(same_addresses);
}

BOOST_AUTO_TEST_CASE(size_larger_than_window_is_refused) {
    quiet();
    GenSpec s;
    s.p = params("sequential", 1);
    s.p.size = 8192;
    s.window = 4096;
    BOOST_CHECK_THROW(Bench("bench", {s}, SC_ZERO_TIME), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(target_errors_count_as_faults) {
    quiet();
    // Sequential 64 B over 4 KiB at 0x10000; the target fails the upper half
    // (0x10800 and up): 2048 / 64 = 32 of the 64 transactions fault.
    GenSpec s;
    s.p = params("sequential", 64);
    s.fail = [](uint64_t a) { return a >= 0x10800; };
    Bench b("bench", {s}, SC_ZERO_TIME);
    StatsRegistry reg;
    b.gens[0]->register_stats(reg, "dev");
    sc_core::sc_start();
    const DmaGenerator& g = *b.gens[0];
    BOOST_TEST(g.transactions() == 64u);
    BOOST_TEST(g.faults() == 32u);
    BOOST_TEST(g.bytes() == 32u * 64u);  // only successful transactions move bytes
    BOOST_TEST(stat(reg, "dev.faults") == 32.0);
    BOOST_TEST(stat(reg, "dev.reads") == 32.0);
    BOOST_TEST(g.latency_ns().count() == 64u);
    BOOST_TEST(g.latency_ns().mean() == 50.0);
}

// Four outstanding slots against the 50 ns target, closed loop: four
// transactions issue together every 50 ns, 40 take 10 * 50 ns.
BOOST_AUTO_TEST_CASE(outstanding_slots_overlap) {
    quiet();
    GenSpec s;
    s.p = params("sequential", 40);
    s.p.outstanding = 4;
    Bench b("bench", {s}, SC_ZERO_TIME);
    sc_core::sc_start();
    const auto& log = b.tgts[0]->log;
    BOOST_TEST_REQUIRE(log.size() == 40u);
    std::multiset<sc_time> issued, expected;
    for (size_t i = 0; i < 40; ++i) {
        issued.insert(log[i].issued);
        expected.insert(double(i / 4) * kTargetDelay);
    }
    BOOST_TEST((issued == expected));
    // Every address exactly once: the slots share one address stream.
    std::set<uint64_t> addrs;
    for (const auto& r : log) addrs.insert(r.addr);
    BOOST_TEST(addrs.size() == 40u);
    BOOST_TEST(b.gens[0]->latency_ns().max() == 50.0);
    BOOST_TEST(b.gens[0]->finish_time() == sc_time(500, SC_NS));
}

// Open loop at 10 M transactions/s: due every 100 ns; the 50 ns target keeps
// up, so transaction i issues at i * 100 ns with 50 ns latency.
BOOST_AUTO_TEST_CASE(open_loop_rate_spaces_transactions) {
    quiet();
    GenSpec s;
    s.p = params("sequential", 10);
    s.p.rate_mtps = 10;
    Bench b("bench", {s}, SC_ZERO_TIME);
    sc_core::sc_start();
    const auto& log = b.tgts[0]->log;
    BOOST_TEST_REQUIRE(log.size() == 10u);
    for (size_t i = 0; i < 10; ++i) BOOST_TEST_REQUIRE(log[i].issued == sc_time(100.0 * double(i), SC_NS));
    BOOST_TEST(b.gens[0]->latency_ns().max() == 50.0);
    BOOST_TEST(b.gens[0]->finish_time() == sc_time(950, SC_NS));
}

// Open loop faster than one slot can serve (due every 25 ns, 50 ns each):
// transaction i is due at 25i but issues at 50i, so its latency counts the
// queueing: 50i + 50 - 25i = 25i + 50 ns; mean over i = 0..9 is 162.5 ns.
BOOST_AUTO_TEST_CASE(open_loop_latency_counts_from_due_time) {
    quiet();
    GenSpec s;
    s.p = params("sequential", 10);
    s.p.rate_gbps = 64.0 / 25.0;  // 64-byte transactions every 25 ns
    Bench b("bench", {s}, SC_ZERO_TIME);
    sc_core::sc_start();
    const auto& log = b.tgts[0]->log;
    BOOST_TEST_REQUIRE(log.size() == 10u);
    for (size_t i = 0; i < 10; ++i) BOOST_TEST_REQUIRE(log[i].issued == sc_time(50.0 * double(i), SC_NS));
    BOOST_TEST(b.gens[0]->latency_ns().min() == 50.0);
    BOOST_TEST(b.gens[0]->latency_ns().max() == 275.0);
    BOOST_TEST(b.gens[0]->latency_ns().mean() == 162.5);
}

// bytes: stop once at least that many bytes were issued (1000 B of 64-byte
// transactions: 16, i.e. 1024 B). duration_ns: nothing is issued at or after
// start + duration (500 ns of 50 ns transactions: 10).
BOOST_AUTO_TEST_CASE(byte_and_duration_limits) {
    quiet();
    std::vector<GenSpec> specs(2);
    specs[0].p = params("sequential", 0);
    specs[0].p.bytes = 1000;
    specs[1].p = params("sequential", 0);
    specs[1].p.duration_ns = 500;
    Bench b("bench", specs, SC_ZERO_TIME);
    sc_core::sc_start();
    BOOST_TEST(b.tgts[0]->log.size() == 16u);
    BOOST_TEST(b.tgts[1]->log.size() == 10u);
    BOOST_TEST(b.tgts[1]->log.back().issued == sc_time(450, SC_NS));
}

BOOST_AUTO_TEST_CASE(pasid_in_extension) {
    quiet();
    GenSpec s;
    s.p = params("sequential", 5);
    s.p.pasid_valid = true;
    s.p.pasid = 0x12345;
    Bench b("bench", {s}, SC_ZERO_TIME);
    sc_core::sc_start();
    BOOST_TEST_REQUIRE(b.tgts[0]->log.size() == 5u);
    for (const auto& r : b.tgts[0]->log) {
        BOOST_TEST(r.pasid_valid);
        BOOST_TEST(r.pasid == 0x12345u);
    }
}

BOOST_AUTO_TEST_CASE(impossible_parameters_are_refused) {
    quiet();
    GenSpec s;
    s.p = params("sequential", 0);  // no limit at all
    BOOST_CHECK_THROW(Bench("b1", {s}, SC_ZERO_TIME), std::invalid_argument);
    s.p = params("sequential", 10);
    s.p.outstanding = 0;
    BOOST_CHECK_THROW(Bench("b2", {s}, SC_ZERO_TIME), std::invalid_argument);
    s.p = params("sequential", 10);
    s.p.rate_mtps = 1;
    s.p.rate_gbps = 1;
    BOOST_CHECK_THROW(Bench("b3", {s}, SC_ZERO_TIME), std::invalid_argument);
}

// window: the pattern covers only the first `window` bytes of the buffer:
// sequential 64 B over a 256 B window of a 4 KiB buffer at 0x10000 wraps
// every 4 transactions.
BOOST_AUTO_TEST_CASE(window_restricts_the_pattern) {
    quiet();
    GenSpec s;
    s.p = params("sequential", 6);
    s.p.window = 256;
    Bench b("bench", {s}, SC_ZERO_TIME);
    sc_core::sc_start();
    BOOST_TEST(b.tgts[0]->addresses() ==
                   (std::vector<uint64_t>{0x10000, 0x10040, 0x10080, 0x100C0, 0x10000, 0x10040}),
               boost::test_tools::per_element());
}
