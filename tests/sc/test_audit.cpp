// The isolation audit: detects an injected breach, passes on correct
// platforms, flags bypassing devices and marks no-IOMMU platforms unsafe.
#define BOOST_TEST_MODULE audit
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sys/wait.h>

#include "platforms/audit.h"
#include "platforms/platform_config.h"
#include "tests/sc/config_helpers.h"

int sc_main(int, char**) { return 0; }

namespace fs = std::filesystem;
using namespace iommusim;

namespace {

PlatformConfig load(const std::string& text) {
    PlatformConfig c = test::load_config_text(text);
    for (auto& d : c.devices) d.traffic.idle = true;
    return c;
}

const char* kTwoDevices = R"(machine: {type: virt}
pci:
  expanders:
    - {id: pxb1, bus_nr: 0x10, bypass_iommu: true}
iommus:
  - name: smmu0
devices:
  - name: a
    bdf: "00:01.0"
    buffer: {iova: 0x200000, size: 64KiB}
  - name: b
    bdf: "10:00.0"
    buffer: {iova: 0x200000, size: 64KiB}
)";

int exit_code(const std::string& args) {
    const int st = std::system((std::string(IOMMUSIM_BIN) + " " + args + " >/dev/null 2>&1").c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

}  // namespace

BOOST_AUTO_TEST_CASE(correct_platform_is_isolated_and_bypass_is_flagged) {
    PlatformConfig c = load(kTwoDevices);
    Platform p("platform", c);
    Auditor a("audit", p, AuditOptions{32, 5});
    sc_core::sc_start();
    const AuditReport& r = a.result();
    BOOST_TEST(r.breaches() == 0u);
    BOOST_TEST_REQUIRE(r.devices.size() == 2u);
    BOOST_TEST(r.devices[0].path == "translated");
    BOOST_TEST(r.devices[0].iommu == "smmu0");
    BOOST_TEST(!r.devices[0].flagged);
    // guard below + guard above + 32 random + 3 beyond the 48-bit aperture
    BOOST_TEST(r.devices[0].probes == 37u);
    BOOST_TEST(r.devices[1].path == "bridge_bypass");
    BOOST_TEST(r.devices[1].flagged);
    BOOST_TEST(r.devices[1].probes == 0u);
    BOOST_TEST(r.min_aperture_bits == 48u);
}

BOOST_AUTO_TEST_CASE(injected_mapping_is_reported_as_breach) {
    PlatformConfig c = load(kTwoDevices);
    Platform p("platform", c);
    // A buggy driver maps the page just above device a's buffer.
    p.after_setup = [](Platform& pl) {
        auto& d = *pl.devices()[0];
        BOOST_REQUIRE(d.domain != nullptr);
        BOOST_REQUIRE(d.iommu->driver->map(d.domain, 0x210000, 0x7'0000'0000, 0x1000, 0x1000));
    };
    Auditor a("audit", p, AuditOptions{8, 1});
    sc_core::sc_start();
    const AuditReport& r = a.result();
    BOOST_TEST(r.breaches() == 1u);
    bool found = false;
    for (const auto& pr : r.probes)
        if (!pr.faulted) {
            found = true;
            BOOST_TEST(pr.device == "a");
            BOOST_TEST(pr.kind == "guard_above");
            BOOST_TEST(pr.addr == 0x210000u);
        }
    BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(no_iommu_platform_is_marked_unsafe) {
    PlatformConfig c = load("platform: {unsafe_noiommu: true}\ndevices:\n  - {name: a, bdf: \"00:01.0\"}\n");
    Platform p("platform", c);
    Auditor a("audit", p, AuditOptions{});
    sc_core::sc_start();
    BOOST_TEST(a.result().unsafe_noiommu);
    BOOST_TEST(a.result().devices[0].path == "no_iommu");
    BOOST_TEST(a.result().devices[0].flagged);
    std::ostringstream os;
    write_audit(os, a.result());
    BOOST_TEST(os.str().find("UNSAFE") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(shipped_configs_pass_the_audit) {
    for (const char* cfg : {"default.yaml", "virt-smmuv3-pxb-bypass.yaml", "q35-vtd-pxb-bypass.yaml",
                            "q35-amdvi-pxb-bypass.yaml"})
        BOOST_TEST(exit_code(std::string("audit ") + IOMMUSIM_SOURCE_DIR + "/configs/" + cfg) == 0, cfg);
    BOOST_TEST(exit_code("audit /nonexistent.yaml") == 2);
    // No VT-d / AMD-Vi model yet: run refuses those platforms.
    BOOST_TEST(exit_code(std::string("run ") + IOMMUSIM_SOURCE_DIR + "/configs/q35-vtd-pxb-bypass.yaml --out " +
                         (fs::temp_directory_path() / "iommusim-q35-out").string()) == 1);
}

BOOST_AUTO_TEST_CASE(unmodelled_iommu_devices_are_reported_not_probed) {
    PlatformConfig c = load(R"(machine: {type: q35, default_bus_bypass_iommu: true}
pci:
  expanders:
    - {id: pxb1, bus_nr: 0x10}
iommus:
  - {name: dmar0, type: vtd}
devices:
  - {name: a, bdf: "00:01.0"}
  - {name: b, bdf: "10:00.0"}
)");
    Platform p("platform", c);
    Auditor a("audit", p, AuditOptions{});
    sc_core::sc_start();
    const AuditReport& r = a.result();
    BOOST_TEST(r.devices[0].path == "bridge_bypass");
    BOOST_TEST(r.devices[1].path == "translated");
    BOOST_TEST(r.devices[1].iommu == "dmar0");
    BOOST_TEST(r.devices[1].unprobed);
    BOOST_TEST(r.unprobed == 1u);
    std::ostringstream os;
    write_audit(os, r);
    BOOST_TEST(os.str().find("RESULT: NOT PROVEN") != std::string::npos);
}

// The audit issues only its own probes: a device replaying a trace replays
// nothing during the audit (its generator stays at zero transactions).
BOOST_AUTO_TEST_CASE(audit_does_not_replay_traces) {
    const fs::path trace = fs::temp_directory_path() / ("iommusim-audit-trace-" + std::to_string(::getpid()) + ".csv");
    std::ofstream(trace) << "0,00:01.0,-,0x10000000,64,r\n10,00:01.0,-,0x10000040,64,r\n";
    PlatformConfig c = load("iommus:\n  - {name: smmu0}\ndevices:\n  - name: a\n    bdf: \"00:01.0\"\n"
                            "    traffic: {pattern: trace, file: " + trace.string() + "}\n");
    Platform p("platform", c);
    Auditor a("audit", p, AuditOptions{8, 5});
    sc_core::sc_start();
    BOOST_TEST(a.result().devices.at(0).probes > 0u);
    BOOST_TEST(p.devices().at(0)->gen->transactions() == 0u);
    fs::remove(trace);
}
