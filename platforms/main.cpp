// iommusim command line.
//   iommusim run CONFIG --out DIR [--quiet]
#include <chrono>
#include <cstdlib>
#include <unistd.h>
#include <cstring>
#include <iostream>
#include <string>

#include <systemc>

#include "platforms/platform.h"
#include "platforms/report.h"
#include "platforms/yaml_reader.h"

namespace {

const char* kUsage =
    "usage: iommusim run CONFIG.yaml [--out DIR] [--quiet]\n"
    "\n"
    "  run    simulate the platform described by CONFIG.yaml; print a summary and\n"
    "         write DIR/stats.json, DIR/stats.csv and DIR/config.yaml (the fully\n"
    "         resolved configuration). DIR defaults to ./iommusim-out.\n"
    "\n"
    "Exit codes: 0 success, 1 simulation or I/O error, 2 invalid configuration or usage.\n";

int run(int argc, char** argv) {
    std::string cfg_path, out = "iommusim-out";
    bool quiet = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--out" && i + 1 < argc)
            out = argv[++i];
        else if (a == "--quiet")
            quiet = true;
        else if (!a.empty() && a[0] == '-') {
            std::cerr << "iommusim: unknown option '" << a << "'\n" << kUsage;
            return 2;
        } else if (cfg_path.empty())
            cfg_path = a;
        else {
            std::cerr << "iommusim: unexpected argument '" << a << "'\n" << kUsage;
            return 2;
        }
    }
    if (cfg_path.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    iommusim::PlatformConfig cfg;
    try {
        cfg = iommusim::load_platform_config(cfg_path);
    } catch (const iommusim::ConfigError& e) {
        std::cerr << "iommusim: error: " << e.what() << "\n";
        return 2;
    }
    for (const auto& w : cfg.warnings) std::cerr << "iommusim: " << w << "\n";
    iommusim::Platform platform("platform", cfg);
    const auto t0 = std::chrono::steady_clock::now();
    sc_core::sc_start();
    const auto t1 = std::chrono::steady_clock::now();
    iommusim::RunInfo info;
    info.simulated_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
    info.host_seconds = std::chrono::duration<double>(t1 - t0).count();
    for (auto& d : platform.devices())
        if (!d->setup_error.empty()) {
            std::cerr << "iommusim: device " << d->cfg.name << ": " << d->setup_error << "\n";
            return 1;
        }
    if (!quiet) iommusim::write_summary(std::cout, platform, info);
    std::string err;
    if (!iommusim::write_outputs(out, platform, info, err)) {
        std::cerr << "iommusim: " << err << "\n";
        return 1;
    }
    if (!quiet) std::cout << "\nwrote " << out << "/stats.json, stats.csv, config.yaml\n";
    return 0;
}

}  // namespace

int sc_main(int argc, char** argv) {
    // libsystemc prints its banner during its own static initialisation unless
    // this variable is already set: restart once with it set.
    if (!std::getenv("SYSC_DISABLE_COPYRIGHT_MESSAGE")) {
        setenv("SYSC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
        execv("/proc/self/exe", argv);  // on failure, go on with the banner
    }
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::cout << kUsage;
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "run")) return run(argc, argv);
    std::cerr << "iommusim: unknown command '" << argv[1] << "'\n" << kUsage;
    return 2;
}
