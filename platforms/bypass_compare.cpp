#include "platforms/bypass_compare.h"

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "models/common/json.h"
#include "platforms/subprocess.h"

namespace iommusim {

namespace {

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

}  // namespace

int compare_with_bypass(const RunOptions& o, std::ostream& out, std::ostream& err) {
    namespace fs = std::filesystem;
    const fs::path dir(o.out);
    const fs::path base = dir / "bypass";
    std::error_code ec;
    fs::create_directories(base, ec);
    std::vector<std::string> args = {"run", o.config, "--quiet", "--baseline-bypass", "--out", base.string()};
    for (const Override& s : o.overrides) {
        args.push_back("--set");
        args.push_back(s.key + "=" + s.value);
    }
    std::string why;
    const pid_t pid = spawn_logged(o.exe, args, (base / "log.txt").string(), why);
    const int rc = pid < 0 ? -1 : wait_exit(pid);
    if (rc != 0) {
        err << "iommusim: --compare-bypass: the bypassed baseline run failed (" << (pid < 0 ? why : "exit " + std::to_string(rc))
            << "), see " << (base / "log.txt").string() << "\n";
        return 1;
    }
    YAML::Node t, b;
    try {
        t = YAML::LoadFile((dir / "stats.json").string());
        b = YAML::LoadFile((base / "stats.json").string());
    } catch (const YAML::Exception& e) {
        err << "iommusim: --compare-bypass: cannot read stats.json: " << e.what() << "\n";
        return 1;
    }
    std::ofstream f(dir / "compare_bypass.json");
    JsonWriter w(f, 2);
    w.begin_object();
    w.key("baseline").value((base / "stats.json").string());
    w.key("devices").begin_object();
    std::ostringstream table;
    table << std::fixed << std::setprecision(2);
    table << "\nTranslation overhead (translated / bypassed, same traffic)\n";
    table << "  " << std::left << std::setw(14) << "device" << std::right << std::setw(12) << "mean lat" << std::setw(10)
          << "p50" << std::setw(10) << "p99" << std::setw(12) << "bandwidth" << "\n";
    for (const auto& kv : t["devices"]) {
        const std::string name = kv.first.as<std::string>();
        const YAML::Node td = kv.second, bd = b["devices"][name];
        if (!bd) continue;
        auto get = [](const YAML::Node& n, const char* a, const char* c = nullptr) {
            const YAML::Node v = c ? n[a][c] : n[a];
            return v ? v.as<double>() : 0.0;
        };
        w.key(name).begin_object();
        w.key("translated_by");
        if (td["translated_by"].IsNull())
            w.value(nullptr);
        else
            w.value(td["translated_by"].as<std::string>());
        double r[4];
        const char* stat[3] = {"mean", "p50", "p99"};
        for (int i = 0; i < 3; ++i) {
            const double tv = get(td, "latency_ns", stat[i]), bv = get(bd, "latency_ns", stat[i]);
            r[i] = ratio(tv, bv);
            w.key(std::string("latency_ns_") + stat[i]).begin_object();
            w.key("translated").value(tv);
            w.key("bypass").value(bv);
            w.key("ratio").value(r[i]);
            w.end_object();
        }
        const double tb = get(td, "bandwidth_gbps"), bb = get(bd, "bandwidth_gbps");
        r[3] = ratio(tb, bb);
        w.key("bandwidth_gbps").begin_object();
        w.key("translated").value(tb);
        w.key("bypass").value(bb);
        w.key("ratio").value(r[3]);
        w.end_object();
        w.end_object();
        table << "  " << std::left << std::setw(14) << name << std::right << std::setw(11) << r[0] << "x"
              << std::setw(9) << r[1] << "x" << std::setw(9) << r[2] << "x" << std::setw(11) << r[3] << "x\n";
    }
    w.end_object();
    w.end_object();
    f << "\n";
    if (!f) {
        err << "iommusim: cannot write compare_bypass.json\n";
        return 1;
    }
    if (!o.quiet) out << table.str() << "\nwrote " << (dir / "compare_bypass.json").string() << "\n";
    return 0;
}

}  // namespace iommusim
