// iommusim command line.
//   iommusim run|audit|tables|sweep CONFIG ..., iommusim plot SWEEP.csv ... (kUsage below)
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <systemc>

#include <unistd.h>

#include "platforms/audit.h"
#include "platforms/platform.h"
#include "platforms/progress.h"
#include "platforms/report.h"
#include "platforms/run_command.h"
#include "platforms/sweep.h"
#include "platforms/tables.h"
#include "platforms/yaml_reader.h"

namespace {

const char* kUsage =
    "usage: iommusim run CONFIG.yaml [--out DIR] [--quiet] [--transactions] [--trace-events] [--vcd]\n"
    "                    [--record-limit N] [--compare-bypass | --baseline-bypass]\n"
    "       iommusim audit CONFIG.yaml [--probes N] [--seed S]\n"
    "       iommusim tables CONFIG.yaml [--out DIR] [--quiet]\n"
    "       iommusim sweep CONFIG.yaml --vary KEY=V1,V2,... [--vary ...] [-j N] [--out DIR]\n"
    "       iommusim plot SWEEP.csv --x COLUMN --y COLUMN [--y ...] [--series COLUMN]\n"
    "                     [--logx] [--logy] [--title T] [--out FILE.png]\n"
    "\n"
    "  run    simulate the platform described by CONFIG.yaml; print a summary and\n"
    "         write DIR/stats.json, DIR/stats.csv and DIR/config.yaml (the fully\n"
    "         resolved configuration). DIR defaults to ./iommusim-out. Optional records:\n"
    "         --transactions  DIR/transactions.csv (one row per DMA: output address or fault)\n"
    "         --trace-events  DIR/trace.json (Chrome / Perfetto trace events)\n"
    "         --vcd           DIR/activity.vcd (DMAs in flight, walks in progress)\n"
    "         --record-limit N  records per optional output (default 1000000)\n"
    "         --compare-bypass  also run every device bypassing its IOMMU (DIR/bypass/) and\n"
    "                           write the overhead ratios to DIR/compare_bypass.json\n"
    "         --baseline-bypass run with every device bypassing its IOMMU\n"
    "         A progress line is shown when stdout is a terminal.\n"
    "\n"
    "  audit  report per device whether it is translated (by which IOMMU), bypasses\n"
    "         (flagged: trusted devices only) or has no IOMMU, each IOMMU's aperture,\n"
    "         and probe: DMA from every translated device to unmapped and\n"
    "         out-of-aperture addresses must fault. Options: --probes N (random\n"
    "         unmapped addresses per device, default 64), --seed S.\n"
    "\n"
    "  tables write the ACPI tables firmware would publish for the platform, built\n"
    "         from the same firmware view the simulator routes by: DIR/IORT.dat\n"
    "         (SMMUv3), DIR/DMAR.dat (VT-d), DIR/IVRS.dat (AMD-Vi), as the platform\n"
    "         has them, and DIR/tables.txt, a field-by-field dump (also printed).\n"
    "         DIR defaults to ./iommusim-tables. `iasl -d DIR/IORT.dat` disassembles.\n"
    "\n"
    "  sweep  run CONFIG.yaml once per point of the product of the --vary lists (the\n"
    "         first varies slowest), each point a separate `run` into DIR/points/<id>,\n"
    "         at most N at a time (-j, default: online CPUs); every point is validated\n"
    "         first. Points already complete are not rerun. Writes DIR/sweep.csv (one\n"
    "         row per point) and DIR/sweep.yaml. DIR defaults to ./iommusim-sweep.\n"
    "\n"
    "  plot   line plot of sweep.csv columns (tools/plot.py, matplotlib): one line per\n"
    "         --series value; FILE defaults to SWEEP.png. See docs/sweeps.md.\n"
    "\n"
    "Every command but plot takes --set KEY=VALUE (repeatable): change one key of CONFIG\n"
    "before it is read, e.g. --set iommus.smmu0.iotlb.entries=64 --set devices.nic0.traffic.size=128\n"
    "(list elements by name, id or index; see docs/platforms.md).\n"
    "\n"
    "Exit codes: 0 success, 1 simulation or I/O error or (audit) an isolation breach\n"
    "or (sweep) a failed point, 2 invalid configuration or usage, 3 (run) an RTL\n"
    "co-simulation mismatch (iotlb.cosim: rtl, docs/rtl-cosim.md).\n";

// Command-line words after the command: one CONFIG, options that take a
// value (`value_opts`) and flags. Returns false (usage printed) on misuse.
struct Args {
    std::string config;
    std::map<std::string, std::string> values;
    std::set<std::string> flags;
    std::vector<iommusim::Override> overrides;  // --set KEY=VALUE, in order
    std::map<std::string, std::vector<std::string>> lists;  // repeatable `list_opts`, in order
};

bool parse_args(int argc, char** argv, const std::set<std::string>& value_opts, const std::set<std::string>& flag_opts,
                Args& out, const std::set<std::string>& list_opts = {}) {
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--set" && i + 1 < argc) {
            iommusim::Override o;
            std::string err;
            if (!iommusim::parse_override(argv[++i], o, err)) {
                std::cerr << "iommusim: --set: " << err << "\n";
                return false;
            }
            out.overrides.push_back(o);
        } else if (list_opts.count(a) && i + 1 < argc) {
            out.lists[a].push_back(argv[++i]);
        } else if (value_opts.count(a) && i + 1 < argc) {
            out.values[a] = argv[++i];
        } else if (flag_opts.count(a)) {
            out.flags.insert(a);
        } else if (!a.empty() && a[0] == '-') {
            std::cerr << "iommusim: unknown option '" << a << "'\n" << kUsage;
            return false;
        } else if (out.config.empty()) {
            out.config = a;
        } else {
            std::cerr << "iommusim: unexpected argument '" << a << "'\n" << kUsage;
            return false;
        }
    }
    if (out.config.empty()) std::cerr << kUsage;
    return !out.config.empty();
}

// Loads CONFIG; prints the located error and returns false if it is invalid.
bool load_config(const Args& args, iommusim::PlatformConfig& cfg) {
    try {
        cfg = iommusim::load_platform_config(args.config, args.overrides);
    } catch (const iommusim::ConfigError& e) {
        std::cerr << "iommusim: error: " << e.what() << "\n";
        if (!args.overrides.empty()) std::cerr << "iommusim: (the file as changed by the --set overrides)\n";
        return false;
    }
    for (const auto& w : cfg.warnings) std::cerr << "iommusim: " << w << "\n";
    return true;
}

bool parse_number(const std::string& opt, const std::string& text, uint64_t& v) {
    char* end = nullptr;
    v = std::strtoull(text.c_str(), &end, 0);
    if (text.empty() || *end != '\0') {
        std::cerr << "iommusim: " << opt << " needs a number, got '" << text << "'\n";
        return false;
    }
    return true;
}

int run(int argc, char** argv) {
    Args args;
    if (!parse_args(argc, argv, {"--out", "--record-limit"},
                    {"--quiet", "--transactions", "--trace-events", "--vcd", "--compare-bypass", "--baseline-bypass"},
                    args))
        return 2;
    iommusim::RunOptions o;
    o.config = args.config;
    o.overrides = args.overrides;
    if (args.values.count("--out")) o.out = args.values["--out"];
    o.quiet = args.flags.count("--quiet") != 0;
    o.progress = !o.quiet && iommusim::ProgressLine::stdout_is_terminal();
    o.transactions = args.flags.count("--transactions") != 0;
    o.trace_events = args.flags.count("--trace-events") != 0;
    o.vcd = args.flags.count("--vcd") != 0;
    o.compare_bypass = args.flags.count("--compare-bypass") != 0;
    o.baseline_bypass = args.flags.count("--baseline-bypass") != 0;
    if (o.compare_bypass && o.baseline_bypass) {
        std::cerr << "iommusim: --compare-bypass and --baseline-bypass exclude each other\n";
        return 2;
    }
    uint64_t v = 0;
    if (args.values.count("--record-limit")) {
        if (!parse_number("--record-limit", args.values["--record-limit"], v)) return 2;
        o.record_limit = v;
    }
    iommusim::PlatformConfig cfg;
    if (!load_config(args, cfg)) return 2;
    if (o.baseline_bypass) iommusim::make_baseline_bypass(cfg);
    for (const auto& d : cfg.devices) o.transactions |= d.traffic.pattern == "trace";  // replay: results file
    return iommusim::run_platform(cfg, o);
}

int audit(int argc, char** argv) {
    Args args;
    if (!parse_args(argc, argv, {"--probes", "--seed"}, {}, args)) return 2;
    iommusim::AuditOptions o;
    uint64_t v = 0;
    if (args.values.count("--probes")) {
        if (!parse_number("--probes", args.values["--probes"], v)) return 2;
        o.random_probes = static_cast<unsigned>(v);
    }
    if (args.values.count("--seed")) {
        if (!parse_number("--seed", args.values["--seed"], v)) return 2;
        o.seed = v;
    }
    iommusim::PlatformConfig cfg;
    if (!load_config(args, cfg)) return 2;
    for (auto& d : cfg.devices) d.traffic.idle = true;  // the audit's own probes only
    iommusim::Platform platform("platform", cfg);
    iommusim::Auditor auditor("audit", platform, o);
    sc_core::sc_start();
    std::cout << "iommusim audit: platform '" << cfg.name << "'\n\n";
    iommusim::write_audit(std::cout, auditor.result());
    return auditor.result().breaches() ? 1 : 0;
}

int tables(int argc, char** argv) {
    Args args;
    if (!parse_args(argc, argv, {"--out"}, {"--quiet"}, args)) return 2;
    const std::string out = args.values.count("--out") ? args.values["--out"] : "iommusim-tables";
    const bool quiet = args.flags.count("--quiet") != 0;
    iommusim::PlatformConfig cfg;
    if (!load_config(args, cfg)) return 2;
    std::vector<iommusim::AcpiTableFile> t;
    try {
        t = iommusim::build_acpi_tables(cfg.firmware);
    } catch (const std::invalid_argument& e) {
        std::cerr << "iommusim: cannot build the firmware tables: " << e.what() << "\n";
        return 1;
    }
    std::string err;
    if (!iommusim::write_acpi_tables(out, t, err)) {
        std::cerr << "iommusim: " << err << "\n";
        return 1;
    }
    if (t.empty()) {
        std::cout << "platform '" << cfg.name
                  << "' has no IOMMU: firmware publishes no IORT, DMAR or IVRS (every device's DMA is untranslated)\n";
        return 0;
    }
    if (!quiet) {
        std::ifstream dump(out + "/tables.txt");
        std::cout << dump.rdbuf();
    }
    namespace fs = std::filesystem;
    std::cout << "wrote";
    for (const auto& f : t) std::cout << " " << (fs::path(out) / (f.signature + ".dat")).string();
    std::cout << " and " << (fs::path(out) / "tables.txt").string() << "\n";
    return 0;
}

int sweep(int argc, char** argv) {
    Args args;
    if (!parse_args(argc, argv, {"--out", "-j"}, {}, args, {"--vary"})) return 2;
    iommusim::SweepOptions o;
    o.config = args.config;
    o.fixed = args.overrides;
    if (args.values.count("--out")) o.out = args.values["--out"];
    for (const std::string& v : args.lists["--vary"]) {
        iommusim::SweepAxis axis;
        std::string err;
        if (!iommusim::parse_vary(v, axis, err)) {
            std::cerr << "iommusim: --vary: " << err << "\n";
            return 2;
        }
        o.axes.push_back(axis);
    }
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = cpus > 0 ? static_cast<unsigned>(cpus) : 1;
    if (args.values.count("-j")) {
        uint64_t v = 0;
        if (!parse_number("-j", args.values["-j"], v)) return 2;
        if (v < 1 || v > 1024) {
            std::cerr << "iommusim: -j must be 1..1024, got " << v << "\n";
            return 2;
        }
        o.jobs = static_cast<unsigned>(v);
    }
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) o.exe.assign(self, static_cast<size_t>(n));
    return iommusim::run_sweep(o, std::cout, std::cerr);
}

// `plot` hands its arguments to tools/plot.py: $IOMMUSIM_TOOLS/plot.py, else
// the source tree's; Python is $IOMMUSIM_PYTHON, else Debian's /usr/bin/python3.
int plot(int argc, char** argv) {
    const char* tools = std::getenv("IOMMUSIM_TOOLS");
    const std::string script = std::string(tools && *tools ? tools : IOMMUSIM_SOURCE_DIR "/tools") + "/plot.py";
    if (access(script.c_str(), R_OK) != 0) {
        std::cerr << "iommusim: plot: cannot read " << script
                  << " (set IOMMUSIM_TOOLS to the folder holding plot.py)\n";
        return 1;
    }
    const char* py = std::getenv("IOMMUSIM_PYTHON");
    const std::string python = py && *py ? py : access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    std::vector<char*> words = {const_cast<char*>(python.c_str()), const_cast<char*>(script.c_str())};
    for (int i = 2; i < argc; ++i) words.push_back(argv[i]);
    words.push_back(nullptr);
    std::cout.flush();
    execvp(words[0], words.data());
    std::cerr << "iommusim: plot: cannot run " << python << ": " << std::strerror(errno) << "\n";
    return 1;
}

}  // namespace

int sc_main(int argc, char** argv) {
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::cout << kUsage;
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "run")) return run(argc, argv);
    if (!std::strcmp(argv[1], "audit")) return audit(argc, argv);
    if (!std::strcmp(argv[1], "tables")) return tables(argc, argv);
    if (!std::strcmp(argv[1], "sweep")) return sweep(argc, argv);
    if (!std::strcmp(argv[1], "plot")) return plot(argc, argv);
    std::cerr << "iommusim: unknown command '" << argv[1] << "'\n" << kUsage;
    return 2;
}

// Our own main: libsystemc prints its banner when the kernel starts unless
// this variable is set, so set it first, then hand over to SystemC.
int main(int argc, char** argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
