// The TLM-2.0 memory target (models/common/tlm/memory.h): timing of one
// access and of queued accesses, unlimited bandwidth, address and
// byte-enable errors, DMI, debug transport and the counters.
//
// Timing definition (memory.h): one b_transport access of `len` bytes
// arriving at local time `at` occupies the channel for
// transfer = len / bandwidth, starting when the channel is free
// (start = max(at, channel free)), and completes at
// start + transfer + latency; the delay returned grows by (done - at).
// With bandwidth in GB/s = bytes per ns, transfer_ns = len / bandwidth_gbps.
//
// One bench per test case (each case runs in its own process): a Memory and
// an initiator whose body runs in an SC_THREAD. Time resolution is the
// default 1 ps.
#define BOOST_TEST_MODULE memory
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/common/tlm/memory.h"

using namespace iommusim;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;
using sc_core::sc_time;

namespace {

class Initiator : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<Initiator> out;
    Memory mem;
    std::function<void(Initiator&)> body;
    bool body_done = false;

    SC_HAS_PROCESS(Initiator);
    Initiator(const sc_core::sc_module_name& n, const MemoryParams& p, std::function<void(Initiator&)> b)
        : sc_module(n), out("out"), mem("mem", p), body(std::move(b)) {
        out.bind(mem.in);
        SC_THREAD(run);
    }

    // One b_transport; `delay` is the local time offset on entry and the
    // annotated completion time on return.
    tlm::tlm_response_status access(uint64_t addr, void* data, unsigned len, bool write, sc_time& delay,
                                    unsigned char* be = nullptr, bool* dmi_allowed = nullptr) {
        tlm::tlm_generic_payload tx;
        tx.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        tx.set_address(addr);
        tx.set_data_ptr(static_cast<unsigned char*>(data));
        tx.set_data_length(len);
        tx.set_streaming_width(len);
        tx.set_byte_enable_ptr(be);
        tx.set_byte_enable_length(be ? len : 0);
        tx.set_dmi_allowed(false);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        out->b_transport(tx, delay);
        if (dmi_allowed) *dmi_allowed = tx.is_dmi_allowed();
        return tx.get_response_status();
    }

private:
    void run() {
        body(*this);
        body_done = true;
    }
};

bool run_bench(const MemoryParams& p, std::function<void(Initiator&)> body) {
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    Initiator b("bench", p, std::move(body));
    sc_core::sc_start();
    return b.body_done;
}

MemoryParams params(double latency_ns, double bandwidth_gbps) {
    MemoryParams p;
    p.latency_ns = latency_ns;
    p.bandwidth_gbps = bandwidth_gbps;
    return p;
}

}  // namespace

// libsystemc references sc_main; Boost.Test provides main().
int sc_main(int, char**) { return 0; }

BOOST_AUTO_TEST_CASE(one_access_is_latency_plus_transfer) {
    BOOST_TEST(run_bench(params(80, 25.6), [](Initiator& b) {
        std::vector<uint8_t> buf(256);
        sc_time d = SC_ZERO_TIME;
        // 256 B / 25.6 B/ns = 10 ns transfer; + 80 ns latency = 90 ns.
        BOOST_TEST(b.access(0x1000, buf.data(), 256, false, d) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(d == sc_time(90, SC_NS));
        BOOST_TEST(b.mem.channel_busy_ps() == 10000u);  // 10 ns of channel time
        // The target annotates time; it does not wait.
        BOOST_TEST(sc_core::sc_time_stamp() == SC_ZERO_TIME);

        // 64 B / 25.6 B/ns = 2.5 ns transfer; issued at local time 200 ns,
        // channel idle since 10 ns: done at 200 + 2.5 + 80 = 282.5 ns.
        sc_time d2(200, SC_NS);
        BOOST_TEST(b.access(0x2000, buf.data(), 64, true, d2) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(d2 == sc_time(282.5, SC_NS));
        BOOST_TEST(b.mem.channel_busy_ps() == 12500u);
    }));
}

BOOST_AUTO_TEST_CASE(latency_only_and_bandwidth_only) {
    // Latency 0, 1 GB/s: 64 B take 64 ns, all of it transfer.
    BOOST_TEST(run_bench(params(0, 1.0), [](Initiator& b) {
        uint8_t buf[64] = {};
        sc_time d = SC_ZERO_TIME;
        BOOST_TEST(b.access(0, buf, 64, false, d) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(d == sc_time(64, SC_NS));
    }));
}

BOOST_AUTO_TEST_CASE(back_to_back_accesses_queue_on_the_channel) {
    BOOST_TEST(run_bench(params(80, 25.6), [](Initiator& b) {
        std::vector<uint8_t> buf(256);
        // Both issued at local time 0. First: channel 0..10 ns, done 90 ns.
        // Second: waits for the channel, 10..20 ns, done 20 + 80 = 100 ns,
        // i.e. one transfer (10 ns) after the first.
        sc_time d1 = SC_ZERO_TIME, d2 = SC_ZERO_TIME;
        BOOST_TEST(b.access(0x0, buf.data(), 256, false, d1) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(b.access(0x100, buf.data(), 256, false, d2) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(d1 == sc_time(90, SC_NS));
        BOOST_TEST(d2 == sc_time(100, SC_NS));
        // Third, issued at local time 5 ns: channel free at 20 ns, so
        // 20..30 ns, done 110 ns; the annotated delay ends at 110 ns.
        sc_time d3(5, SC_NS);
        BOOST_TEST(b.access(0x200, buf.data(), 256, true, d3) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(d3 == sc_time(110, SC_NS));
        BOOST_TEST(b.mem.channel_busy_ps() == 30000u);

        // Advance simulated time to 100 ns. The channel (free at 30 ns) is
        // idle: an access at local offset 0 completes after 90 ns.
        wait(sc_time(100, SC_NS));
        sc_time d4 = SC_ZERO_TIME;
        BOOST_TEST(b.access(0x300, buf.data(), 256, false, d4) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(d4 == sc_time(90, SC_NS));
        // Another at the same time queues behind it: channel 110..120 ns,
        // done at 200 ns absolute = 100 ns after now.
        sc_time d5 = SC_ZERO_TIME;
        BOOST_TEST(b.access(0x400, buf.data(), 256, false, d5) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(d5 == sc_time(100, SC_NS));
    }));
}

BOOST_AUTO_TEST_CASE(zero_bandwidth_is_unlimited) {
    BOOST_TEST(run_bench(params(80, 0), [](Initiator& b) {
        std::vector<uint8_t> buf(4096);
        // No transfer time and no queueing: every access takes the latency.
        sc_time d1 = SC_ZERO_TIME, d2 = SC_ZERO_TIME, d3(7, SC_NS);
        BOOST_TEST(b.access(0, buf.data(), 4096, false, d1) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(b.access(0x1000, buf.data(), 4096, true, d2) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(b.access(0x2000, buf.data(), 4096, false, d3) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(d1 == sc_time(80, SC_NS));
        BOOST_TEST(d2 == sc_time(80, SC_NS));
        BOOST_TEST(d3 == sc_time(87, SC_NS));  // 7 ns local offset + 80 ns
        BOOST_TEST(b.mem.channel_busy_ps() == 0u);
    }));
}

BOOST_AUTO_TEST_CASE(address_beyond_range_is_address_error) {
    MemoryParams p = params(80, 25.6);
    p.base = 0x1000'0000;
    p.size = 0x10000;  // valid: [0x1000'0000, 0x1001'0000)
    BOOST_TEST(run_bench(p, [](Initiator& b) {
        const uint64_t base = 0x1000'0000, end = 0x1001'0000;
        uint64_t v = 0x1122334455667788ull;
        sc_time d = SC_ZERO_TIME;
        // The last 8 bytes are in range.
        BOOST_TEST(b.access(end - 8, &v, 8, true, d) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(b.access(base, &v, 8, true, d) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(b.mem.errors() == 0u);
        // Starting at the end, straddling the end, below the base, and a
        // length larger than the whole memory.
        uint64_t w = 0xAAAAAAAAAAAAAAAAull;
        d = SC_ZERO_TIME;
        BOOST_TEST(b.access(end, &w, 8, true, d) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
        BOOST_TEST(b.access(end - 4, &w, 8, true, d) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
        BOOST_TEST(b.access(base - 8, &w, 8, false, d) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
        std::vector<uint8_t> big(0x10000 + 1);
        BOOST_TEST(b.access(base, big.data(), unsigned(big.size()), false, d) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
        BOOST_TEST(b.mem.errors() == 4u);
        // Failed accesses are not counted as reads/writes and change nothing.
        BOOST_TEST(b.mem.writes() == 2u);
        BOOST_TEST(b.mem.reads() == 0u);
        BOOST_TEST(b.mem.backdoor().read64(end - 8) == v);
        BOOST_TEST(b.mem.backdoor().read64(end) == 0u);
        BOOST_TEST(b.mem.backdoor().read64(base - 8) == 0u);
    }));
}

BOOST_AUTO_TEST_CASE(byte_enables_are_rejected) {
    BOOST_TEST(run_bench(params(80, 25.6), [](Initiator& b) {
        uint64_t v = 0x1122334455667788ull;
        unsigned char be[8] = {0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0};
        sc_time d = SC_ZERO_TIME;
        BOOST_TEST(b.access(0x100, &v, 8, true, d, be) == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        BOOST_TEST(b.mem.errors() == 1u);
        BOOST_TEST(b.mem.writes() == 0u);
        BOOST_TEST(b.mem.backdoor().read64(0x100) == 0u);
        BOOST_TEST(b.access(0x100, &v, 8, false, d, be) == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        BOOST_TEST(b.mem.errors() == 2u);
        BOOST_TEST(b.mem.reads() == 0u);
    }));
}

BOOST_AUTO_TEST_CASE(dmi_grants_a_page_with_the_configured_latency) {
    BOOST_TEST(run_bench(params(80, 25.6), [](Initiator& b) {
        const uint64_t addr = 0x12'3456'7238;
        const uint64_t page = 0x12'3456'7000;  // addr rounded down to 4 KiB

        // A successful access says DMI is allowed (params().dmi is true).
        uint64_t v = 0;
        bool allowed = false;
        sc_time d = SC_ZERO_TIME;
        BOOST_TEST(b.access(addr, &v, 8, false, d, nullptr, &allowed) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(allowed);

        const ps_t busy_before = b.mem.channel_busy_ps();
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(addr);
        tlm::tlm_dmi dmi;
        BOOST_TEST_REQUIRE(b.out->get_direct_mem_ptr(tx, dmi));
        BOOST_TEST(dmi.get_start_address() == page);
        BOOST_TEST(dmi.get_end_address() == page + 0xFFF);
        BOOST_TEST(dmi.is_read_write_allowed());
        BOOST_TEST(dmi.get_read_latency() == sc_time(80, SC_NS));
        BOOST_TEST(dmi.get_write_latency() == sc_time(80, SC_NS));
        BOOST_TEST_REQUIRE(dmi.get_dmi_ptr() != nullptr);

        // A write through the DMI pointer is visible to the backdoor...
        const uint64_t magic = 0x0123456789ABCDEFull;
        std::memcpy(dmi.get_dmi_ptr() + (addr - page), &magic, 8);
        BOOST_TEST(b.mem.backdoor().read64(addr) == magic);
        // DMI does not reserve channel bandwidth.
        BOOST_TEST(b.mem.channel_busy_ps() == busy_before);
        // ...and to a timed read; a backdoor write is visible through DMI.
        d = SC_ZERO_TIME;
        BOOST_TEST(b.access(addr, &v, 8, false, d) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(v == magic);
        b.mem.backdoor().write64(page + 0xFF8, 42);
        uint64_t r = 0;
        std::memcpy(&r, dmi.get_dmi_ptr() + 0xFF8, 8);
        BOOST_TEST(r == 42u);
    }));
}

BOOST_AUTO_TEST_CASE(dmi_disabled_is_refused) {
    MemoryParams p = params(80, 25.6);
    p.dmi = false;
    BOOST_TEST(run_bench(p, [](Initiator& b) {
        uint64_t v = 0;
        bool allowed = true;
        sc_time d = SC_ZERO_TIME;
        BOOST_TEST(b.access(0x1000, &v, 8, false, d, nullptr, &allowed) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(!allowed);
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(0x1000);
        tlm::tlm_dmi dmi;
        BOOST_TEST(!b.out->get_direct_mem_ptr(tx, dmi));
    }));
}

BOOST_AUTO_TEST_CASE(dmi_outside_range_is_refused) {
    MemoryParams p = params(80, 25.6);
    p.base = 0x1000'0000;
    p.size = 0x10000;
    BOOST_TEST(run_bench(p, [](Initiator& b) {
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tlm::tlm_dmi dmi;
        tx.set_address(0x1001'0000);  // base + size
        BOOST_TEST(!b.out->get_direct_mem_ptr(tx, dmi));
        tx.set_address(0x0FFF'F000);  // below base
        BOOST_TEST(!b.out->get_direct_mem_ptr(tx, dmi));
        tx.set_address(0x1000'F123);  // last page
        BOOST_TEST(b.out->get_direct_mem_ptr(tx, dmi));
        BOOST_TEST(dmi.get_start_address() == 0x1000'F000u);
        BOOST_TEST(dmi.get_end_address() == 0x1000'FFFFu);
    }));
}

BOOST_AUTO_TEST_CASE(debug_transport_is_untimed) {
    BOOST_TEST(run_bench(params(80, 25.6), [](Initiator& b) {
        uint8_t w[16];
        for (int i = 0; i < 16; ++i) w[i] = static_cast<uint8_t>(0xA0 + i);
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_address(0x3FF8);  // across a page boundary
        tx.set_data_ptr(w);
        tx.set_data_length(16);
        tx.set_streaming_width(16);
        BOOST_TEST(b.out->transport_dbg(tx) == 16u);
        uint8_t back[16] = {};
        b.mem.backdoor().read(0x3FF8, back, 16);
        BOOST_TEST(std::memcmp(back, w, 16) == 0);

        b.mem.backdoor().write64(0x8000, 0x5555AAAA5555AAAAull);
        uint64_t r = 0;
        tx.set_command(tlm::TLM_READ_COMMAND);
        tx.set_address(0x8000);
        tx.set_data_ptr(reinterpret_cast<unsigned char*>(&r));
        tx.set_data_length(8);
        tx.set_streaming_width(8);
        BOOST_TEST(b.out->transport_dbg(tx) == 8u);
        BOOST_TEST(r == 0x5555AAAA5555AAAAull);

        // No time, no channel use, no counters.
        BOOST_TEST(sc_core::sc_time_stamp() == SC_ZERO_TIME);
        BOOST_TEST(b.mem.channel_busy_ps() == 0u);
        BOOST_TEST(b.mem.reads() == 0u);
        BOOST_TEST(b.mem.writes() == 0u);
        BOOST_TEST(b.mem.bytes_read() == 0u);
        BOOST_TEST(b.mem.bytes_written() == 0u);
    }));
}

BOOST_AUTO_TEST_CASE(counters_and_data) {
    BOOST_TEST(run_bench(params(80, 25.6), [](Initiator& b) {
        std::vector<uint8_t> w(128), r(64);
        for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<uint8_t>(i * 7 + 1);
        sc_time d = SC_ZERO_TIME;
        // Two writes of 128 bytes, three reads of 64 bytes.
        BOOST_TEST(b.access(0x10000, w.data(), 128, true, d) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(b.access(0x20000, w.data(), 128, true, d) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(b.access(0x10000, r.data(), 64, false, d) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(std::memcmp(r.data(), w.data(), 64) == 0);
        BOOST_TEST(b.access(0x10040, r.data(), 64, false, d) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(std::memcmp(r.data(), w.data() + 64, 64) == 0);
        BOOST_TEST(b.access(0x30000, r.data(), 64, false, d) == tlm::TLM_OK_RESPONSE);
        BOOST_TEST(r == std::vector<uint8_t>(64, 0));  // untouched memory reads zero
        BOOST_TEST(b.mem.writes() == 2u);
        BOOST_TEST(b.mem.reads() == 3u);
        BOOST_TEST(b.mem.bytes_written() == 2u * 128u);
        BOOST_TEST(b.mem.bytes_read() == 3u * 64u);
        BOOST_TEST(b.mem.errors() == 0u);
        // Channel time: 2 * 128 / 25.6 + 3 * 64 / 25.6 = 10 + 7.5 = 17.5 ns.
        BOOST_TEST(b.mem.channel_busy_ps() == 17500u);
    }));
}
