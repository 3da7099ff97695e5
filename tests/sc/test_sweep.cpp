// iommusim sweep and plot: the product of the --vary lists in order, one CSV
// row per point with predictable stats, resumption (only missing, failed or
// changed points rerun), validation of every point before anything runs, a
// point that fails at run time, and the plot script.
#define BOOST_TEST_MODULE sweep
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>  // declares sc_main extern "C"
#include <yaml-cpp/yaml.h>

#include "platforms/sweep.h"
#include "tests/sc/cli_helpers.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using namespace iommusim;
using test::RunResult;
using test::temp_dir;

namespace {

// One SMMUv3, one device: 64-byte sequential DMA from a page-aligned IOVA, so
// every transaction is one IOTLB lookup and misses = pages touched.
const char* kTiny = R"(platform: {name: tiny}
iommus:
  - name: smmu0
    iotlb: {entries: 16, ways: 4}
devices:
  - name: d0
    bdf: "00:01.0"
    buffer: {iova: 0x100000, size: 64KiB}
    traffic: {pattern: sequential, transactions: 200, size: 64}
)";

fs::path write_config(const fs::path& d) {
    std::ofstream(d / "p.yaml") << kTiny;
    return d / "p.yaml";
}

std::string read(const fs::path& f) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cells.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cells.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.emplace_back();
        } else {
            cells.back() += c;
        }
    }
    return cells;
}

struct Csv {
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    std::vector<std::vector<std::string>> cells;
};

Csv read_csv(const fs::path& f) {
    Csv csv;
    std::ifstream in(f);
    std::string line;
    if (std::getline(in, line)) csv.header = split_csv_line(line);
    while (std::getline(in, line)) {
        csv.cells.push_back(split_csv_line(line));
        std::map<std::string, std::string> row;
        for (size_t i = 0; i < csv.header.size() && i < csv.cells.back().size(); ++i)
            row[csv.header[i]] = csv.cells.back()[i];
        csv.rows.push_back(row);
    }
    return csv;
}

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

const std::string kVary2x3 =
    " --vary devices.d0.traffic.transactions=100,200 --vary iommus.smmu0.iotlb.entries=16,32,64";

}  // namespace

BOOST_AUTO_TEST_CASE(product_gives_one_row_per_point_in_order) {
    const fs::path d = temp_dir("sweep-product");
    const fs::path cfg = write_config(d);
    const RunResult r = test::run_iommusim("sweep " + cfg.string() + kVary2x3 + " -j 2 --out s", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(count(r.out, " ok ") == 6u, r.out);
    BOOST_TEST(r.out.find("[6/6] ") != std::string::npos, r.out);

    const Csv csv = read_csv(d / "s" / "sweep.csv");
    BOOST_TEST_REQUIRE(csv.header.size() > 3u);
    BOOST_TEST(csv.header[0] == "devices.d0.traffic.transactions");
    BOOST_TEST(csv.header[1] == "iommus.smmu0.iotlb.entries");
    BOOST_TEST(csv.header[2] == "status");
    BOOST_TEST_REQUIRE(csv.rows.size() == 6u);
    const char* tx[] = {"100", "100", "100", "200", "200", "200"};
    const char* entries[] = {"16", "32", "64", "16", "32", "64"};
    for (size_t i = 0; i < 6; ++i) {
        const auto& row = csv.rows[i];
        BOOST_TEST(csv.cells[i][0] == tx[i]);
        BOOST_TEST(csv.cells[i][1] == entries[i]);
        BOOST_TEST(row.at("status") == "ok");
        // What the varied key set, the device issued and the IOTLB looked up
        // once each; 64-byte sequential from a page-aligned IOVA touches
        // transactions * 64 / 4096 pages, each one IOTLB miss.
        BOOST_TEST(row.at("devices.d0.transactions") == tx[i]);
        BOOST_TEST(row.at("iommus.smmu0.iotlb.lookups") == tx[i]);
        BOOST_TEST(row.at("iommus.smmu0.iotlb.misses") == (std::string(tx[i]) == "100" ? "2" : "4"));
        BOOST_TEST(!row.at("simulated_ns").empty());
        BOOST_TEST(!row.at("devices.d0.latency_ns.mean").empty());
    }
    // No strings, no duplicated "stats" subtree.
    for (const std::string& h : csv.header) {
        BOOST_TEST(h.find("requester_id") == std::string::npos);
        BOOST_TEST(h.rfind("stats.", 0) != 0u, h);
    }
    // Point directories: params.yaml with the overrides, the run's outputs, the marker.
    const fs::path p4 = d / "s" / "points" / "p0004";
    BOOST_TEST(fs::exists(p4 / "stats.json"));
    BOOST_TEST(fs::exists(p4 / "done"));
    BOOST_TEST(fs::exists(p4 / "log.txt"));
    const YAML::Node params = YAML::LoadFile((p4 / "params.yaml").string());
    BOOST_TEST(params["overrides"][0].as<std::string>() == "devices.d0.traffic.transactions=200");
    BOOST_TEST(params["overrides"][1].as<std::string>() == "iommus.smmu0.iotlb.entries=32");
    const YAML::Node sweep = YAML::LoadFile((d / "s" / "sweep.yaml").string());
    BOOST_TEST(sweep["config"].as<std::string>() == cfg.string());
    BOOST_TEST(sweep["vary"][1]["key"].as<std::string>() == "iommus.smmu0.iotlb.entries");
    BOOST_TEST(sweep["vary"][1]["values"].size() == 3u);
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(rerun_runs_only_missing_incomplete_or_changed_points) {
    const fs::path d = temp_dir("sweep-resume");
    const std::string cmd = "sweep " + write_config(d).string() + kVary2x3 + " -j 2 --out s";
    RunResult r = test::run_iommusim(cmd, d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    const std::string csv1 = read(d / "s" / "sweep.csv");
    const fs::path points = d / "s" / "points";
    const auto mtime1 = fs::last_write_time(points / "p0000" / "stats.json");

    // Everything done: nothing runs, same CSV.
    r = test::run_iommusim(cmd, d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(r.out.find("6 already done, running 0") != std::string::npos, r.out);
    BOOST_TEST(read(d / "s" / "sweep.csv") == csv1);

    // One point deleted: exactly that one runs.
    fs::remove_all(points / "p0004");
    r = test::run_iommusim(cmd, d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(r.out.find("5 already done, running 1") != std::string::npos, r.out);
    BOOST_TEST(count(r.out, " ok ") == 1u, r.out);
    BOOST_TEST(r.out.find("[1/1] devices.d0.traffic.transactions=200 iommus.smmu0.iotlb.entries=32 ok") !=
                   std::string::npos,
               r.out);
    BOOST_TEST(read(d / "s" / "sweep.csv") == csv1);
    BOOST_TEST((fs::last_write_time(points / "p0000" / "stats.json") == mtime1));

    // A run killed mid-write: a truncated stats.json and no `done` marker is not complete.
    fs::remove(points / "p0001" / "done");
    fs::resize_file(points / "p0001" / "stats.json", 100);
    r = test::run_iommusim(cmd, d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(r.out.find("[1/1] devices.d0.traffic.transactions=100 iommus.smmu0.iotlb.entries=32 ok") !=
                   std::string::npos,
               r.out);
    BOOST_TEST(read(d / "s" / "sweep.csv") == csv1);

    // A different fixed --set changes every point's overrides: all rerun.
    r = test::run_iommusim(cmd + " --set devices.d0.traffic.gap_ns=10", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(r.out.find("0 already done, running 6") != std::string::npos, r.out);
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(invalid_point_runs_nothing) {
    const fs::path d = temp_dir("sweep-invalid");
    const std::string cfg = write_config(d).string();
    RunResult r = test::run_iommusim(
        "sweep " + cfg + " --vary devices.d0.traffic.transactions=10,20 --vary iommus.smmu0.iotlb.wayz=2,4 --out s", d);
    BOOST_TEST(r.code == 2, r.out);
    BOOST_TEST(r.out.find("iommus.smmu0.iotlb.wayz=2") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("unknown key") != std::string::npos, r.out);
    BOOST_TEST(!fs::exists(d / "s"));

    // Only one point out of range (12 entries / 4 ways: 3 sets): still nothing runs.
    r = test::run_iommusim("sweep " + cfg + " --vary iommus.smmu0.iotlb.entries=16,12 --out s", d);
    BOOST_TEST(r.code == 2, r.out);
    BOOST_TEST(r.out.find("p0001 (iommus.smmu0.iotlb.entries=12)") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("p0000") == std::string::npos, r.out);
    BOOST_TEST(!fs::exists(d / "s" / "sweep.csv"));
    BOOST_TEST(!fs::exists(d / "s" / "points"));

    // Usage: an empty list, a key given twice.
    BOOST_TEST(test::run_iommusim("sweep " + cfg + " --vary iommus.smmu0.iotlb.entries=", d).code == 2);
    r = test::run_iommusim("sweep " + cfg + " --vary a.b=1 --vary a.b=2 --out s", d);
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.out.find("given twice") != std::string::npos, r.out);
    BOOST_TEST(!fs::exists(d / "s"));
    fs::remove_all(d);
}

// A 1 MiB buffer passes validation but does not fit a 512 KiB allocation
// region: the run exits 1 ("physical memory region exhausted").
BOOST_AUTO_TEST_CASE(failed_point_is_reported) {
    const fs::path d = temp_dir("sweep-fail");
    const std::string cmd = "sweep " + write_config(d).string() +
                            " --set memory.alloc_size=512KiB --vary devices.d0.buffer.size=64KiB,1MiB -j 2 --out s";
    RunResult r = test::run_iommusim(cmd, d);
    BOOST_TEST(r.code == 1, r.out);
    BOOST_TEST(r.out.find("devices.d0.buffer.size=1MiB failed (exit 1)") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("1 of 2 points failed") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("s/points/p0001/log.txt") != std::string::npos, r.out);
    BOOST_TEST(read(d / "s" / "points" / "p0001" / "log.txt").find("exhausted") != std::string::npos);
    BOOST_TEST(!fs::exists(d / "s" / "points" / "p0001" / "done"));
    const Csv csv = read_csv(d / "s" / "sweep.csv");
    BOOST_TEST_REQUIRE(csv.rows.size() == 2u);
    BOOST_TEST(csv.rows[0].at("status") == "ok");
    BOOST_TEST(csv.rows[0].at("devices.d0.transactions") == "200");
    BOOST_TEST(csv.rows[1].at("status") == "failed");
    BOOST_TEST(csv.rows[1].at("devices.d0.transactions") == "");
    // A rerun retries the failed point only.
    r = test::run_iommusim(cmd, d);
    BOOST_TEST(r.code == 1, r.out);
    BOOST_TEST(r.out.find("1 already done, running 1") != std::string::npos, r.out);
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(plot_writes_a_png) {
    const fs::path d = temp_dir("sweep-plot");
    RunResult r = test::run_iommusim("sweep " + write_config(d).string() + kVary2x3 + " --out s", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    const std::string png_signature = "\x89PNG\r\n\x1a\n";
    r = test::run_iommusim(
        "plot s/sweep.csv --x iommus.smmu0.iotlb.entries --y devices.d0.latency_ns.mean"
        " --series devices.d0.traffic.transactions --logx --title 'IOTLB size' --out a.png",
        d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(read(d / "a.png").substr(0, 8) == png_signature);
    // The script runs on its own too; the default output is next to the CSV.
    r = test::run_shell(std::string("python3 ") + IOMMUSIM_SOURCE_DIR +
                            "/tools/plot.py s/sweep.csv --x devices.d0.traffic.transactions"
                            " --y iommus.smmu0.iotlb.lookups --y iommus.smmu0.iotlb.misses --logy",
                        d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    BOOST_TEST(read(d / "s" / "sweep.png").substr(0, 8) == png_signature);
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(plot_missing_column_lists_the_columns) {
    const fs::path d = temp_dir("sweep-plotcol");
    std::ofstream(d / "s.csv") << "iommus.smmu0.iotlb.entries,status,devices.d0.latency_ns.mean\n16,ok,90\n32,ok,80\n";
    const RunResult r =
        test::run_iommusim("plot s.csv --x iommus.smmu0.iotlb.entries --y devices.d0.latency --out a.png", d);
    BOOST_TEST(r.code == 2, r.out);
    BOOST_TEST(r.out.find("no column 'devices.d0.latency'") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("available columns") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("devices.d0.latency_ns.mean") != std::string::npos, r.out);
    BOOST_TEST(!fs::exists(d / "a.png"));
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(vary_values_split_outside_brackets_and_quotes) {
    SweepAxis a;
    std::string err;
    BOOST_TEST_REQUIRE(parse_vary("devices.d0.traffic.size=64,128,4KiB", a, err));
    BOOST_TEST(a.key == "devices.d0.traffic.size");
    BOOST_TEST((a.values == std::vector<std::string>{"64", "128", "4KiB"}));
    BOOST_TEST_REQUIRE(parse_vary("devices.d0.traffic={pattern: random, size: 64},[1, 2],'a,b'", a, err));
    BOOST_TEST((a.values == std::vector<std::string>{"{pattern: random, size: 64}", "[1, 2]", "'a,b'"}));
    BOOST_TEST(!parse_vary("devices.d0.traffic.size", a, err));
    BOOST_TEST(!parse_vary("devices.d0.traffic.size=", a, err));
    BOOST_TEST(!parse_vary("=1,2", a, err));
}

BOOST_AUTO_TEST_CASE(stats_flatten_to_numeric_leaves) {
    const YAML::Node s = YAML::Load(R"({"schema_version": 1, "platform": "p", "simulated_ns": 12.5,
        "devices": {"d0": {"requester_id": "00:01.0", "translated_by": null, "stream_id": 8,
                           "latency_ns": {"count": 3, "mean": 1.5e2}, "label": "7"}},
        "iommus": {"smmu0": {"type": "smmuv3", "iotlb": {"hits": 9, "hit_rate": 0.9}}},
        "memory": {"reads": 4}, "stats": {"devices": {"d0": {"transactions": 3}}}})");
    const auto cols = flatten_stats(s);
    const std::vector<std::pair<std::string, std::string>> want = {
        {"simulated_ns", "12.5"},
        {"devices.d0.stream_id", "8"},
        {"devices.d0.latency_ns.count", "3"},
        {"devices.d0.latency_ns.mean", "1.5e2"},
        {"iommus.smmu0.iotlb.hits", "9"},
        {"iommus.smmu0.iotlb.hit_rate", "0.9"},
    };
    BOOST_TEST((cols == want));
    BOOST_TEST(csv_cell("a,b") == "\"a,b\"");
    BOOST_TEST(csv_cell("say \"x\"") == "\"say \"\"x\"\"\"");
    BOOST_TEST(csv_cell("64") == "64");
}
