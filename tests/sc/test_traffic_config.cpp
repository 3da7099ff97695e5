// The `traffic:` section (platforms/traffic_config.cpp): every key read with
// its default, keys of another pattern refused at their location, impossible
// shapes and PASIDs located, limits and rates as documented.
#define BOOST_TEST_MODULE traffic_config
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "platforms/platform_config.h"
#include "platforms/yaml_reader.h"
#include "tests/sc/config_helpers.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using namespace iommusim;

namespace {

const std::string kHead = R"(iommus:
  - {name: smmu0}
devices:
  - name: d0
    bdf: "00:01.0"
    buffer: {iova: 0x100000, size: 64KiB}
)";

// Loads kHead + "    traffic: <traffic>" (line 7 of the file).
PlatformConfig load(const std::string& traffic, const std::string& extra_device = "") {
    return test::load_config_text(kHead + extra_device + "    traffic: " + traffic + "\n");
}

std::string error_of(const std::string& traffic, const std::string& extra_device = "") {
    return test::config_error_of(kHead + extra_device + "    traffic: " + traffic + "\n");
}

}  // namespace

BOOST_AUTO_TEST_CASE(defaults) {
    const GeneratorParams g = load("{}").devices[0].traffic;
    BOOST_TEST(g.pattern == "sequential");
    BOOST_TEST(g.transactions == 10000u);
    BOOST_TEST(g.bytes == 0u);
    BOOST_TEST(g.duration_ns == 0.0);
    BOOST_TEST(g.size == 64u);
    BOOST_TEST(g.outstanding == 1u);
    BOOST_TEST(g.rate_mtps == 0.0);
    BOOST_TEST(g.rate_gbps == 0.0);
    BOOST_TEST(!g.pasid_valid);
}

BOOST_AUTO_TEST_CASE(every_key_is_read) {
    const GeneratorParams g =
        load("{pattern: zipf, alpha: 1.2, bytes: 1MiB, size: 128, outstanding: 8, rate_gbps: 12.5, pasid: 5, "
             "write_fraction: 0.25, seed: 9}")
            .devices[0]
            .traffic;
    BOOST_TEST(g.pattern == "zipf");
    BOOST_TEST(g.shape.alpha == 1.2);
    BOOST_TEST(g.transactions == 0u);  // another limit given: no default transaction count
    BOOST_TEST(g.bytes == 1048576u);
    BOOST_TEST(g.size == 128u);
    BOOST_TEST(g.outstanding == 8u);
    BOOST_TEST(g.rate_gbps == 12.5);
    BOOST_TEST(g.pasid_valid);
    BOOST_TEST(g.pasid == 5u);
    BOOST_TEST(g.write_fraction == 0.25);
    BOOST_TEST(g.seed == 9u);
    const GeneratorParams s = load("{pattern: strided, stride: 4KiB, count: 4, row_step: 64, start: 128}").devices[0].traffic;
    BOOST_TEST(s.shape.stride == 4096u);
    BOOST_TEST(s.shape.count == 4u);
    BOOST_TEST(s.shape.row_step == 64u);
    BOOST_TEST(s.shape.start == 128u);
    const GeneratorParams h = load("{pattern: hotcold, hot_fraction: 0.25, hot_probability: 0.75}").devices[0].traffic;
    BOOST_TEST(h.shape.hot_fraction == 0.25);
    BOOST_TEST(h.shape.hot_probability == 0.75);
}

// Line 7 is "    traffic: {...}"; the flow map starts at column 14.
BOOST_AUTO_TEST_CASE(keys_of_another_pattern_are_refused_at_their_location) {
    // "    traffic: {pattern: random, alpha: 1.1}": alpha's value at column 39
    BOOST_TEST(error_of("{pattern: random, alpha: 1.1}") ==
               "7:39: 'devices[0].traffic.alpha': not a key of pattern random (only of zipf)");
    BOOST_TEST(error_of("{pattern: zipf, stride: 128}").find("'devices[0].traffic.stride': not a key of pattern "
                                                              "zipf (only of sequential, strided)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(limits_and_rates) {
    BOOST_TEST(error_of("{transactions: 0}").find("'devices[0].traffic.transactions': no limit") != std::string::npos);
    BOOST_TEST(error_of("{rate_mtps: 1, rate_gbps: 1}").find("'devices[0].traffic.rate_gbps': give rate_mtps or "
                                                             "rate_gbps, not both") != std::string::npos);
    BOOST_TEST(error_of("{rate_mtps: 1, gap_ns: 5}").find("'devices[0].traffic.gap_ns'") != std::string::npos);
    BOOST_TEST(error_of("{outstanding: 0}").find("'devices[0].traffic.outstanding'") != std::string::npos);
    BOOST_TEST(error_of("{size: 128KiB}").find("'devices[0].traffic.size': transaction larger") != std::string::npos);
    BOOST_TEST(load("{duration_ns: 5000}").devices[0].traffic.transactions == 0u);
}

// A shape that cannot work on the device's 64 KiB buffer is reported at the
// offending key, with the pattern's reason.
BOOST_AUTO_TEST_CASE(impossible_shapes_are_located) {
    BOOST_TEST(error_of("{pattern: sequential, start: 64KiB}").find("'devices[0].traffic.start'") !=
               std::string::npos);
    BOOST_TEST(error_of("{pattern: hotcold, hot_fraction: 1.0}").find("'devices[0].traffic.hot_fraction'") !=
               std::string::npos);
    BOOST_TEST(error_of("{pattern: strided, stride: 0}").find("'devices[0].traffic.stride'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pasid_needs_stage1_and_fits_ssid_bits) {
    // Default ssid_bits 8: PASID 256 does not fit.
    BOOST_TEST(error_of("{pasid: 256}").find("'devices[0].traffic.pasid': beyond smmu0's SubstreamID size") !=
               std::string::npos);
    BOOST_TEST(error_of("{pasid: 1}", "    translation: s2\n")
                   .find("'devices[0].traffic.pasid': a PASID needs stage-1 translation") != std::string::npos);
    BOOST_TEST(load("{pasid: 255}").devices[0].traffic.pasid == 255u);
}

BOOST_AUTO_TEST_CASE(window_limits_the_pattern_within_the_buffer) {
    BOOST_TEST(load("{window: 4KiB}").devices[0].traffic.window == 4096u);
    BOOST_TEST(load("{}").devices[0].traffic.window == 0u);
    BOOST_TEST(error_of("{window: 128KiB}").find("'devices[0].traffic.window': larger than the device's buffer") !=
               std::string::npos);
    BOOST_TEST(error_of("{window: 32, size: 64}").find("'devices[0].traffic.size'") != std::string::npos);
}

// Every platform file shipped under configs/ (examples and studies) loads.
BOOST_AUTO_TEST_CASE(every_shipped_config_loads) {
    unsigned n = 0;
    for (const auto& e : fs::recursive_directory_iterator(fs::path(IOMMUSIM_SOURCE_DIR) / "configs")) {
        if (e.path().extension() != ".yaml") continue;
#if !IOMMUSIM_HAVE_COSIM
        // iotlb.cosim: rtl needs a build with Verilator (docs/rtl-cosim.md).
        std::ifstream f(e.path());
        std::string text;
        std::getline(f, text, '\0');
        if (text.find("cosim: rtl") != std::string::npos) continue;
#endif
        ++n;
        BOOST_CHECK_NO_THROW(load_platform_config(e.path().string()));
    }
    BOOST_TEST(n >= 8u);  // 5 examples + 3 studies at the time of writing
}
