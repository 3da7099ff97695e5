// The iommusim command line and the YAML reader: errors carry
// file:line:column and the key, exit code 2, nothing written; a good run
// writes stats.json with the documented keys, and its resolved config
// reproduces it.
#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>
#include <yaml-cpp/yaml.h>

#include "platforms/platform_config.h"
#include "tests/sc/cli_helpers.h"
#include "platforms/yaml_reader.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using namespace iommusim;

namespace {

using test::temp_dir;

using test::RunResult;
RunResult run(const std::string& args, const fs::path& dir) { return test::run_iommusim(args, dir); }

const char* kGood = R"(platform: {name: t}
iommus:
  - name: smmu0
    iotlb: {entries: 16, ways: 4}
devices:
  - name: d0
    bdf: "00:01.0"
    buffer: {iova: 0x100000, size: 64KiB}
    traffic: {pattern: sequential, transactions: 64, size: 4096}
)";

// Writes `text`, runs `iommusim run`, expects exit 2, the message, no output.
void expect_config_error(const std::string& name, const std::string& text, const std::string& where_and_key) {
    const fs::path d = temp_dir(name);
    const fs::path cfg = d / "p.yaml";
    std::ofstream(cfg) << text;
    const RunResult r = run("run " + cfg.string() + " --out " + (d / "out").string(), d);
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.out.find(cfg.string() + ":" + where_and_key) != std::string::npos, "output was: " << r.out);
    BOOST_TEST(!fs::exists(d / "out"));
    fs::remove_all(d);
}

}  // namespace

BOOST_AUTO_TEST_CASE(unknown_key_is_located) {
    std::string t = kGood;
    t.replace(t.find("ways: 4"), 7, "wayz: 4");
    // line 4: "    iotlb: {entries: 16, wayz: 4}": 'wayz' starts at column 26
    expect_config_error("unknown", t, "4:26: 'iommus[0].iotlb.wayz': unknown key");
}

BOOST_AUTO_TEST_CASE(bad_value_is_located) {
    std::string t = kGood;
    t.replace(t.find("entries: 16"), 11, "entries: lots");
    // value 'lots' at line 4 column 22
    expect_config_error("badvalue", t, "4:22: 'iommus[0].iotlb.entries': expected a non-negative integer");
}

BOOST_AUTO_TEST_CASE(invalid_cache_geometry_is_rejected) {
    std::string t = kGood;
    t.replace(t.find("entries: 16"), 11, "entries: 12");
    expect_config_error("geometry", t, "4:22: 'iommus[0].iotlb.entries': iotlb:");
}

BOOST_AUTO_TEST_CASE(yaml_syntax_error_is_located) {
    // The unclosed flow mapping is detected where the next key starts (line 2, column 7).
    expect_config_error("syntax", "platform: {name: t\niommus: []\n", "2:7: end of map flow not found");
}

BOOST_AUTO_TEST_CASE(duplicate_device_address_is_rejected) {
    std::string t = kGood;
    t += "  - name: d1\n    bdf: \"00:01.0\"\n";
    // line 11: '    bdf: "00:01.0"', value at column 10
    expect_config_error("dupbdf", t, "11:10: 'devices[1].bdf': another device already sits at 00:01.0");
}

BOOST_AUTO_TEST_CASE(unknown_iommu_reference_is_rejected) {
    std::string t = kGood;
    t += "pci:\n  expanders:\n    - {id: pxb1, bus_nr: 0x10, iommu: smmu9}\n";
    // line 12: "    - {id: pxb1, bus_nr: 0x10, iommu: smmu9}": the value starts at column 39
    expect_config_error("badref", t, "12:39: 'pci.expanders[0].iommu': no IOMMU named 'smmu9'");
}

BOOST_AUTO_TEST_CASE(default_bus_bypass_needs_q35_or_virt) {
    std::string t = kGood;
    t += "machine: {type: generic, default_bus_bypass_iommu: true}\n";
    // line 10: "machine: {type: generic, default_bus_bypass_iommu: true}": value at column 52
    expect_config_error("machine", t,
                        "10:52: 'machine.default_bus_bypass_iommu': option 'default_bus_bypass_iommu' is accepted "
                        "only by the q35 and virt machines, not by 'generic'");
}

BOOST_AUTO_TEST_CASE(overlapping_expanders_are_located) {
    std::string t = kGood;
    t += "pci:\n  expanders:\n    - {id: a, bus_nr: 0x10, buses: 0x20}\n    - {id: b, bus_nr: 0x20}\n";
    // line 13: "    - {id: b, bus_nr: 0x20}": bus_nr value at column 23; b owns 0x20-0xff
    expect_config_error("overlap", t, "13:23: 'pci.expanders[1].bus_nr': bus range 20-ff overlaps 'a' (10-2f)");
}

BOOST_AUTO_TEST_CASE(device_on_missing_bus_is_located) {
    std::string t = kGood;
    t += "pci:\n  expanders:\n    - {id: a, bus_nr: 0x10, buses: 2}\n";
    t.replace(t.find("\"00:01.0\""), 9, "\"14:00.0\"");
    // line 7: '    bdf: "14:00.0"': value at column 10; buses 0x10-0x11 belong to 'a', 0x12-0xff to nobody
    expect_config_error("nobus", t, "7:10: 'devices[0].bdf': bus 14 of segment 0 belongs to no host bridge");
}

BOOST_AUTO_TEST_CASE(platform_without_iommu_needs_unsafe_opt_in) {
    const std::string t =
        "devices:\n  - name: d0\n    bdf: \"00:01.0\"\n    traffic: {transactions: 4}\n";
    expect_config_error("noiommu", t, "1:1: 'platform.unsafe_noiommu'");
    const fs::path d = temp_dir("noiommu-ok");
    std::ofstream(d / "p.yaml") << "platform: {unsafe_noiommu: true}\n" << t;
    const RunResult r = run("run " + (d / "p.yaml").string() + " --out " + (d / "out").string(), d);
    BOOST_TEST(r.code == 0, r.out);
    BOOST_TEST(r.out.find("NO IOMMU") != std::string::npos);
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(bypass_without_iommu_warns_with_location) {
    const fs::path d = temp_dir("warn");
    std::ofstream(d / "p.yaml") << "platform: {unsafe_noiommu: true}\n"
                                   "pci:\n  expanders:\n    - {id: pxb1, bus_nr: 0x10, bypass_iommu: true}\n"
                                   "devices:\n  - {name: a, bdf: \"10:00.0\", traffic: {transactions: 4}}\n";
    const RunResult r = run("run " + (d / "p.yaml").string() + " --quiet --out " + (d / "out").string(), d);
    BOOST_TEST(r.code == 0, r.out);
    // line 4: "    - {id: pxb1, bus_nr: 0x10, bypass_iommu: true}": value at column 46
    BOOST_TEST(r.out.find((d / "p.yaml").string() + ":4:46: 'pci.expanders[0].bypass_iommu': warning: "
                          "bypass_iommu has no effect: the platform has no IOMMU") != std::string::npos,
               r.out);
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(two_smmus_each_count_only_their_devices) {
    const fs::path d = temp_dir("two");
    std::ofstream(d / "p.yaml") << R"(machine: {type: virt}
pci:
  expanders:
    - {id: pxb1, bus_nr: 0x10, iommu: smmu1}
iommus:
  - {name: smmu0}
  - {name: smmu1}
devices:
  - {name: a, bdf: "00:01.0", traffic: {transactions: 100}}
  - {name: b, bdf: "10:02.0", traffic: {transactions: 300}}
)";
    const RunResult r = run("run " + (d / "p.yaml").string() + " --quiet --out " + (d / "out").string(), d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    YAML::Node s = YAML::LoadFile((d / "out" / "stats.json").string());
    BOOST_TEST(s["devices"]["a"]["translated_by"].as<std::string>() == "smmu0");
    BOOST_TEST(s["devices"]["b"]["translated_by"].as<std::string>() == "smmu1");
    BOOST_TEST(s["devices"]["b"]["stream_id"].as<uint32_t>() == 0x1010u);  // 10:02.0
    BOOST_TEST(s["iommus"]["smmu0"]["transactions"].as<uint64_t>() == 100u);
    BOOST_TEST(s["iommus"]["smmu1"]["transactions"].as<uint64_t>() == 300u);
    BOOST_TEST(s["devices"]["b"]["faults"].as<uint64_t>() == 0u);
    fs::remove_all(d);
}

// A host bridge's stream_id_base offsets its devices' StreamIDs (an IORT ID
// mapping with an offset): 10:02.0 is RID 0x1010, 0x10 past the bridge's
// first RID 0x1000, so StreamID 0x8000 + 0x10. The run translates it.
BOOST_AUTO_TEST_CASE(stream_id_base_offsets_stream_ids) {
    const fs::path d = temp_dir("sidbase");
    std::ofstream(d / "p.yaml") << R"(machine: {type: virt}
pci:
  expanders:
    - {id: pxb1, bus_nr: 0x10, stream_id_base: 0x8000}
iommus:
  - {name: smmu0}
devices:
  - {name: b, bdf: "10:02.0", traffic: {transactions: 50}}
)";
    const RunResult r = run("run " + (d / "p.yaml").string() + " --quiet --out " + (d / "out").string(), d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    YAML::Node s = YAML::LoadFile((d / "out" / "stats.json").string());
    BOOST_TEST(s["devices"]["b"]["stream_id"].as<uint32_t>() == 0x8010u);
    BOOST_TEST(s["devices"]["b"]["translated_by"].as<std::string>() == "smmu0");
    BOOST_TEST(s["devices"]["b"]["transactions"].as<uint64_t>() == 50u);
    BOOST_TEST(s["devices"]["b"]["faults"].as<uint64_t>() == 0u);
    fs::remove_all(d);
}

// A StreamID beyond what the driver's stream table covers is a located error.
BOOST_AUTO_TEST_CASE(stream_id_beyond_the_stream_table_is_located) {
    const std::string t = R"(machine: {type: virt}
pci:
  expanders:
    - {id: pxb1, bus_nr: 0x10, stream_id_base: 0xfff00}
iommus:
  - {name: smmu0}
devices:
  - {name: b, bdf: "10:02.0"}
)";
    // line 8: "  - {name: b, bdf: "10:02.0"}": the bdf value at column 20
    expect_config_error("sidrange", t, "8:20: 'devices[0].bdf': its StreamID 0xfff10");
}

BOOST_AUTO_TEST_CASE(virt_pxb_bypass_example_routes_as_qemu) {
    const fs::path d = temp_dir("virt");
    const RunResult r = run("run " + std::string(IOMMUSIM_SOURCE_DIR) +
                                "/configs/virt-smmuv3-pxb-bypass.yaml --quiet --out " + (d / "out").string(),
                            d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    YAML::Node s = YAML::LoadFile((d / "out" / "stats.json").string());
    YAML::Node dev = s["devices"];
    BOOST_TEST(dev["nic_bus0"]["translated_by"].IsNull());
    BOOST_TEST(dev["nic_bus0"]["path"].as<std::string>() == "bridge_bypass");
    BOOST_TEST(dev["nic_pxb10"]["translated_by"].as<std::string>() == "smmu0");
    BOOST_TEST(dev["nic_pxb10"]["stream_id"].as<uint32_t>() == 0x1100u);
    BOOST_TEST(dev["nic_pxb20"]["translated_by"].IsNull());
    BOOST_TEST(dev["nic_pxb20"]["path"].as<std::string>() == "bridge_bypass");
    for (const char* n : {"nic_bus0", "nic_pxb10", "nic_pxb20"}) {
        BOOST_TEST(dev[n]["transactions"].as<uint64_t>() == 5000u, n);
        BOOST_TEST(dev[n]["faults"].as<uint64_t>() == 0u, n);
    }
    // The SMMU sees only the translated device's 5000 transactions.
    BOOST_TEST(s["iommus"]["smmu0"]["transactions"].as<uint64_t>() == 5000u);
    BOOST_TEST(s["iommus"]["smmu0"]["iotlb"]["lookups"].as<uint64_t>() == 5000u);
    fs::remove_all(d);
}

// --set changes the file before it is read: the resolved config shows the
// new value, and a misspelt key is refused like one in the file (exit 2).
BOOST_AUTO_TEST_CASE(set_overrides_are_read_and_checked) {
    const fs::path d = temp_dir("set");
    std::ofstream(d / "p.yaml") << kGood;
    RunResult r = run("run p.yaml --quiet --out out --set iommus.smmu0.iotlb.entries=32 --set devices.d0.traffic.transactions=7", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    const YAML::Node c = YAML::LoadFile((d / "out" / "config.yaml").string());
    BOOST_TEST(c["iommus"][0]["iotlb"]["entries"].as<int>() == 32);
    const YAML::Node s = YAML::LoadFile((d / "out" / "stats.json").string());
    BOOST_TEST(s["devices"]["d0"]["transactions"].as<int>() == 7);
    r = run("run p.yaml --quiet --out out2 --set iommus.smmu0.iotlb.entriez=32", d);
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.out.find("p.yaml: 'iommus[0].iotlb.entriez': unknown key") != std::string::npos, r.out);
    BOOST_TEST(!fs::exists(d / "out2"));
    fs::remove_all(d);
}

// Page size of the mappings: with 2 MiB pages an 8 MiB buffer read end to
// end costs exactly 4 IOTLB misses (one walk per 2 MiB block); with 1 GiB
// pages random reads over a 1 GiB buffer cost exactly 1.
BOOST_AUTO_TEST_CASE(superpages_give_one_iotlb_entry_per_block) {
    const fs::path d = temp_dir("superpages");
    std::ofstream(d / "p.yaml") << R"(memory: {size: 64GiB}
iommus:
  - {name: smmu0}
devices:
  - name: two_m
    bdf: "00:01.0"
    page_size: 2MiB
    buffer: {iova: 0x40000000, size: 8MiB}
    traffic: {pattern: sequential, transactions: 2048, size: 4096}
  - name: one_g
    bdf: "00:02.0"
    page_size: 1GiB
    buffer: {iova: 0x80000000, size: 1GiB}
    traffic: {pattern: random, transactions: 5000, size: 64}
)";
    const RunResult r = run("run p.yaml --quiet --out out --set iommus.smmu0.walk_cache.enabled=false", d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    const YAML::Node s = YAML::LoadFile((d / "out" / "stats.json").string());
    // 2 devices: 2048 + 5000 lookups; misses: 4 (2 MiB blocks) + 1 (the 1 GiB block).
    BOOST_TEST(s["iommus"]["smmu0"]["iotlb"]["lookups"].as<unsigned>() == 7048u);
    BOOST_TEST(s["iommus"]["smmu0"]["iotlb"]["misses"].as<unsigned>() == 5u);
    // Walks without a walk cache: 2 MiB leaves at level 2 (3 reads), 1 GiB at level 1 (2 reads).
    BOOST_TEST(s["iommus"]["smmu0"]["walk_reads"].as<unsigned>() == 4u * 3u + 2u);
    BOOST_TEST(s["devices"]["two_m"]["faults"].as<unsigned>() == 0u);
    BOOST_TEST(s["devices"]["one_g"]["faults"].as<unsigned>() == 0u);
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
    const fs::path d = temp_dir("usage");
    BOOST_TEST(run("", d).code == 2);
    BOOST_TEST(run("frobnicate", d).code == 2);
    BOOST_TEST(run("run", d).code == 2);
    BOOST_TEST(run("run x.yaml --bogus", d).code == 2);
    BOOST_TEST(run("run /nonexistent/p.yaml", d).code == 2);
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(run_writes_documented_stats_and_reproducible_config) {
    const fs::path d = temp_dir("good");
    std::ofstream(d / "p.yaml") << kGood;
    const RunResult r = run("run " + (d / "p.yaml").string() + " --out " + (d / "out").string(), d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    YAML::Node s = YAML::LoadFile((d / "out" / "stats.json").string());
    BOOST_TEST(s["simulated_ns"].as<double>() > 0);
    BOOST_TEST(s["host_seconds"].IsDefined());
    YAML::Node dev = s["devices"]["d0"];
    BOOST_TEST(dev["requester_id"].as<std::string>() == "00:01.0");
    BOOST_TEST(dev["translated_by"].as<std::string>() == "smmu0");
    BOOST_TEST(dev["transactions"].as<uint64_t>() == 64u);
    BOOST_TEST(dev["bytes"].as<uint64_t>() == 64u * 4096);
    BOOST_TEST(dev["faults"].as<uint64_t>() == 0u);
    for (const char* k : {"mean", "p50", "p90", "p99", "max"}) BOOST_TEST(dev["latency_ns"][k].IsDefined(), k);
    YAML::Node io = s["iommus"]["smmu0"];
    BOOST_TEST(io["type"].as<std::string>() == "smmuv3");
    // 64 sequential 4 KiB reads over 16 pages (64 KiB): every transaction is
    // its own page; the 16 pages fit the 16-entry IOTLB: 16 misses, 48 hits.
    BOOST_TEST(io["iotlb"]["lookups"].as<uint64_t>() == 64u);
    BOOST_TEST(io["iotlb"]["misses"].as<uint64_t>() == 16u);
    BOOST_TEST(io["iotlb"]["hits"].as<uint64_t>() == 48u);
    BOOST_TEST(io["walks"].as<uint64_t>() == 16u);
    BOOST_TEST(io["walk_reads"].IsDefined());
    BOOST_TEST(io["faults"].as<uint64_t>() == 0u);
    BOOST_TEST(io["commands"].as<uint64_t>() > 0u);
    BOOST_TEST(fs::exists(d / "out" / "stats.csv"));

    // The resolved configuration reproduces the run.
    const RunResult r2 = run("run " + (d / "out" / "config.yaml").string() + " --out " + (d / "out2").string(), d);
    BOOST_TEST_REQUIRE(r2.code == 0, r2.out);
    YAML::Node s2 = YAML::LoadFile((d / "out2" / "stats.json").string());
    BOOST_TEST(s2["simulated_ns"].as<double>() == s["simulated_ns"].as<double>());
    BOOST_TEST(s2["iommus"]["smmu0"]["iotlb"]["hits"].as<uint64_t>() == 48u);
    fs::remove_all(d);
}

BOOST_AUTO_TEST_CASE(default_config_translates) {
    const fs::path d = temp_dir("default");
    const RunResult r =
        run("run " + std::string(IOMMUSIM_SOURCE_DIR) + "/configs/default.yaml --quiet --out " + (d / "out").string(), d);
    BOOST_TEST_REQUIRE(r.code == 0, r.out);
    YAML::Node s = YAML::LoadFile((d / "out" / "stats.json").string());
    BOOST_TEST(s["devices"].size() >= 2u);
    BOOST_TEST(s["iommus"]["smmu0"]["iotlb"]["hits"].as<uint64_t>() > 0u);
    BOOST_TEST(s["iommus"]["smmu0"]["walks"].as<uint64_t>() > 0u);
    fs::remove_all(d);
}
