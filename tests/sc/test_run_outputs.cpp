// The optional outputs of `iommusim run`: transactions.csv, trace.json,
// activity.vcd, --record-limit, --compare-bypass, and no progress line when
// stdout is not a terminal.
#define BOOST_TEST_MODULE run_outputs
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "tests/sc/cli_helpers.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using iommusim::test::RunResult;
using iommusim::test::run_iommusim;
using iommusim::test::temp_dir;

namespace {

// 100 ns memory with unlimited bandwidth; d0: 40 sequential 64-byte reads in
// one 4 KiB page (one walk), 4 outstanding.
const char* kPlatform = R"(memory: {latency_ns: 100, bandwidth_gbps: 0}
iommus:
  - {name: smmu0}
devices:
  - name: d0
    bdf: "00:01.0"
    buffer: {iova: 0x100000, size: 64KiB}
    traffic: {pattern: sequential, transactions: 40, size: 64, outstanding: 4}
)";

std::string slurp(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::vector<std::string> lines(const fs::path& p) {
    std::ifstream f(p);
    std::vector<std::string> v;
    std::string l;
    while (std::getline(f, l)) v.push_back(l);
    return v;
}

}  // namespace

BOOST_AUTO_TEST_CASE(transactions_trace_and_vcd) {
    const fs::path d = temp_dir("outputs");
    std::ofstream(d / "p.yaml") << kPlatform;
    const RunResult r = run_iommusim("run p.yaml --out out --transactions --trace-events --vcd", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(r.out.find("transactions.csv, trace.json, activity.vcd") != std::string::npos, r.out);

    // transactions.csv: header + 40 rows; every read of the page lands at the
    // same PA - IOVA offset, page aligned.
    const auto csv = lines(d / "out" / "transactions.csv");
    BOOST_TEST_REQUIRE(csv.size() == 41u);
    int64_t offset = -1;
    for (size_t i = 1; i < csv.size(); ++i) {
        std::vector<std::string> c;
        std::stringstream ss(csv[i]);
        std::string x;
        while (std::getline(ss, x, ',')) c.push_back(x);
        BOOST_TEST_REQUIRE(c.size() == 12u);
        const int64_t o = int64_t(std::stoull(c[11], nullptr, 16)) - int64_t(std::stoull(c[4], nullptr, 16));
        if (offset < 0) offset = o;
        BOOST_TEST(o == offset);
    }
    BOOST_TEST(offset % 4096 == 0);

    // trace.json: valid JSON; 40 DMA slices and one walk slice (one page, one walk).
    const YAML::Node t = YAML::LoadFile((d / "out" / "trace.json").string());
    unsigned dma = 0, walks = 0;
    for (const auto& e : t["traceEvents"]) {
        if (e["cat"] && e["cat"].as<std::string>() == "dma") ++dma;
        if (e["cat"] && e["cat"].as<std::string>() == "walk") ++walks;
    }
    BOOST_TEST(dma == 40u);
    const YAML::Node s = YAML::LoadFile((d / "out" / "stats.json").string());
    BOOST_TEST(walks == s["iommus"]["smmu0"]["walks"].as<unsigned>());

    // activity.vcd: d0 has at most 4 DMAs in flight (4 outstanding) and
    // reaches 4 (binary 100); everything returns to 0.
    const std::string v = slurp(d / "out" / "activity.vcd");
    BOOST_TEST(v.find("$var integer 32 ! d0_in_flight $end") != std::string::npos, v.substr(0, 400));
    BOOST_TEST(v.find("b100 !") != std::string::npos);
    BOOST_TEST(v.find("b101 !") == std::string::npos);
    BOOST_TEST(v.rfind("b0 !") > v.rfind("b100 !"));
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(record_limit_caps_the_records) {
    const fs::path d = temp_dir("limit");
    std::ofstream(d / "p.yaml") << kPlatform;
    const RunResult r = run_iommusim("run p.yaml --quiet --out out --transactions --record-limit 10", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(lines(d / "out" / "transactions.csv").size() == 11u);
    BOOST_TEST(r.out.find("--record-limit 10 reached: 30 records not written") != std::string::npos, r.out);
    fs::remove_all(d);
}

// Bypassed, each 64-byte read costs exactly the memory's 100 ns; translated,
// more (configuration and IOTLB lookups, one walk).
BOOST_AUTO_TEST_CASE(compare_bypass_reports_the_overhead) {
    const fs::path d = temp_dir("compare");
    std::ofstream(d / "p.yaml") << kPlatform;
    const RunResult r = run_iommusim("run p.yaml --out out --compare-bypass", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(r.out.find("Translation overhead") != std::string::npos, r.out);
    const YAML::Node b = YAML::LoadFile((d / "out" / "bypass" / "stats.json").string());
    BOOST_TEST(b["devices"]["d0"]["path"].as<std::string>() == "bridge_bypass");
    BOOST_TEST(b["devices"]["d0"]["latency_ns"]["max"].as<double>() == 100.0);
    BOOST_TEST(b["iommus"]["smmu0"]["transactions"].as<unsigned>() == 0u);
    const YAML::Node c = YAML::LoadFile((d / "out" / "compare_bypass.json").string());
    const YAML::Node m = c["devices"]["d0"]["latency_ns_mean"];
    BOOST_TEST(m["bypass"].as<double>() == 100.0);
    BOOST_TEST(m["translated"].as<double>() > 100.0);
    BOOST_TEST(m["ratio"].as<double>() == m["translated"].as<double>() / 100.0, boost::test_tools::tolerance(1e-9));
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(no_progress_line_into_a_file) {
    const fs::path d = temp_dir("progress");
    std::ofstream(d / "p.yaml") << kPlatform;
    const RunResult r = run_iommusim("run p.yaml --out out --set devices.d0.traffic.transactions=200000", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(r.out.find('\r') == std::string::npos);
    BOOST_TEST(r.out.find("transactions/s host") == std::string::npos);
    fs::remove_all(d);
}

// On a terminal (util-linux `script` provides one) a run of one to two seconds
// shows the progress line, rewritten in place and cleared before the summary.
BOOST_AUTO_TEST_CASE(progress_line_on_a_terminal) {
    const fs::path d = temp_dir("progress-tty");
    std::ofstream(d / "p.yaml") << kPlatform;
    const RunResult r = iommusim::test::run_shell(
        "script -qec \"" + std::string(IOMMUSIM_BIN) +
            " run p.yaml --out out --set devices.d0.traffic.transactions=12000000 --set devices.d0.traffic.outstanding=1\" /dev/null",
        d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    const size_t at = r.out.find("\r\033[K  simulated ");
    BOOST_TEST(at != std::string::npos, r.out.substr(0, 300));
    BOOST_TEST(r.out.find("transactions/s host") != std::string::npos);
    // Cleared before the summary starts.
    BOOST_TEST(r.out.find("\r\033[Kiommusim: platform") != std::string::npos);
    fs::remove_all(d);
}
