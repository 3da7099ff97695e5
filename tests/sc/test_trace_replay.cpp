// Trace replay through the command line: records issued at their times, the
// per-transaction results file with the output address or the architected
// fault, and bad traces refused before the run with the line number.
#define BOOST_TEST_MODULE trace_replay
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/sc/cli_helpers.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using iommusim::test::RunResult;
using iommusim::test::run_iommusim;
using iommusim::test::temp_dir;

namespace {

// Two devices; d0's buffer is IOVA [0x100000, 0x110000), d1's [0x200000, 0x210000).
const char* kPlatform = R"(iommus:
  - {name: smmu0}
devices:
  - name: d0
    bdf: "00:01.0"
    buffer: {iova: 0x100000, size: 64KiB}
    traffic: {pattern: trace, file: t.csv, outstanding: 1}
  - name: d1
    bdf: "00:02.0"
    buffer: {iova: 0x200000, size: 64KiB}
    traffic: {pattern: trace, file: t.csv}
)";

using iommusim::test::read_csv;

uint64_t hex(const std::string& s) { return std::stoull(s, nullptr, 16); }

}  // namespace

BOOST_AUTO_TEST_CASE(records_replayed_with_results) {
    const fs::path d = temp_dir("trace-ok");
    std::ofstream(d / "p.yaml") << kPlatform;
    std::ofstream(d / "t.csv") << "# test trace\n"
                                  "time_ns,requester,pasid,address,size,access\n"
                                  "0,00:01.0,-,0x100000,64,r\n"
                                  "1000,00:02.0,-,0x200040,64,w\n"
                                  "2000,00:01.0,-,0x10f000,128,w\n"
                                  "3000,00:01.0,-,0x300000,64,r\n";  // outside d0's mapped buffer
    const RunResult r = run_iommusim("run p.yaml --quiet --out out", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    const auto rows = read_csv(d / "out" / "transactions.csv");
    BOOST_TEST_REQUIRE(rows.size() == 5u);  // header + 4 records
    BOOST_TEST(rows[0][0] == "index");
    BOOST_TEST(rows[0][11] == "result");
    // Rows come in completion order; find each record by its address.
    auto row = [&](const std::string& addr) -> const std::vector<std::string>& {
        for (const auto& x : rows)
            if (x.size() > 4 && x[4] == addr) return x;
        BOOST_FAIL("no row for " + addr);
        return rows[0];
    };
    const auto& a = row("0x100000");
    const auto& b = row("0x200040");
    const auto& c = row("0x10f000");
    const auto& f = row("0x300000");
    BOOST_TEST(a[1] == "d0");
    BOOST_TEST(a[2] == "00:01.0");
    BOOST_TEST(a[6] == "r");
    BOOST_TEST(b[1] == "d1");
    BOOST_TEST(b[6] == "w");
    BOOST_TEST(c[5] == "128");
    // d0's buffer is one physically contiguous region: both d0 records
    // land at the same PA - IOVA offset, page-aligned.
    const uint64_t off_a = hex(a[11]) - 0x100000, off_c = hex(c[11]) - 0x10f000;
    BOOST_TEST(off_a == off_c);
    BOOST_TEST(hex(a[11]) % 4096 == 0u);
    // Due times follow the trace's times from the common start.
    const double t0 = std::stod(a[7]);
    BOOST_TEST(std::stod(b[7]) - t0 == 1000.0);
    BOOST_TEST(std::stod(c[7]) - t0 == 2000.0);
    // Outside the mapped buffer: the architected stage-1 fault.
    BOOST_TEST(f[11] == "F_TRANSLATION");
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(foreign_requester_is_refused_with_its_line) {
    const fs::path d = temp_dir("trace-foreign");
    std::ofstream(d / "p.yaml") << kPlatform;
    std::ofstream(d / "t.csv") << "0,00:01.0,-,0x100000,64,r\n"
                                  "# comment\n"
                                  "5,00:03.0,-,0x100000,64,r\n";
    const RunResult r = run_iommusim("run p.yaml --quiet --out out", d);
    BOOST_TEST(r.code == 2, r.out);
    BOOST_TEST(r.out.find("'devices[0].traffic.file': t.csv line 3: requester 0000:00:03.0 is not a device "
                          "replaying this trace") != std::string::npos,
               r.out);
    BOOST_TEST(!fs::exists(d / "out"));
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(malformed_line_is_refused_with_its_line) {
    const fs::path d = temp_dir("trace-bad");
    std::ofstream(d / "p.yaml") << kPlatform;
    std::ofstream(d / "t.csv") << "0,00:01.0,-,0x100000,64,r\n"
                                  "10,00:02.0,-,0x200000,64,x\n";
    const RunResult r = run_iommusim("run p.yaml --quiet --out out", d);
    BOOST_TEST(r.code == 2, r.out);
    BOOST_TEST(r.out.find("t.csv:2: access") != std::string::npos, r.out);
    BOOST_TEST(!fs::exists(d / "out"));
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(shipped_example_trace_replays) {
    const fs::path d = temp_dir("trace-example");
    std::ofstream(d / "p.yaml") << R"(iommus:
  - {name: smmu0}
devices:
  - name: a
    bdf: "00:01.0"
    buffer: {iova: 0x10000000, size: 1MiB}
    traffic: {pattern: trace, file: )" << IOMMUSIM_SOURCE_DIR << R"(/configs/traces/example.csv}
  - name: b
    bdf: "00:02.0"
    buffer: {iova: 0x10000000, size: 1MiB}
    traffic: {pattern: trace, file: )" << IOMMUSIM_SOURCE_DIR << R"(/configs/traces/example.csv}
)";
    const RunResult r = run_iommusim("run p.yaml --quiet --out out", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    const auto rows = read_csv(d / "out" / "transactions.csv");
    BOOST_TEST(rows.size() == 26u);  // header + the example's 25 records
    for (size_t i = 1; i < rows.size(); ++i) BOOST_TEST(rows[i][11].rfind("0x", 0) == 0u, "row " << i);
    fs::remove_all(d);
}
