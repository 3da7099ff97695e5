// iommusim sweep: validate every point, run the missing ones as child
// processes, collect sweep.csv (docs/sweeps.md).
#include "platforms/sweep.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

#include "platforms/platform_config.h"
#include "platforms/subprocess.h"
#include "platforms/yaml_reader.h"

namespace iommusim {

namespace fs = std::filesystem;

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Point {
    size_t index = 0;
    std::string id;                  // directory name under OUT/points
    std::vector<Override> varied;    // this point's --vary values, in --vary order
    std::vector<Override> all;       // fixed --set, then `varied`
    fs::path dir;
    // Result:
    bool reused = false;   // complete from an earlier sweep, not rerun
    bool ok = false;
    std::string failure;   // why not ok
    double seconds = 0;
};

std::string label(const Point& p) {
    if (p.varied.empty()) return "(base configuration)";
    std::string s;
    for (const Override& o : p.varied) s += (s.empty() ? "" : " ") + o.key + "=" + o.value;
    return s;
}

std::vector<Point> make_points(const SweepOptions& o, const fs::path& points_dir) {
    size_t count = 1;
    for (const SweepAxis& a : o.axes) count *= a.values.size();
    const int width = std::max<int>(4, static_cast<int>(std::to_string(count - 1).size()));
    std::vector<Point> points(count);
    for (size_t i = 0; i < count; ++i) {
        Point& p = points[i];
        p.index = i;
        std::ostringstream id;
        id << 'p' << std::setw(width) << std::setfill('0') << i;
        p.id = id.str();
        p.dir = points_dir / p.id;
        // Mixed radix, last axis fastest.
        size_t rest = i;
        p.varied.resize(o.axes.size());
        for (size_t k = o.axes.size(); k-- > 0;) {
            const SweepAxis& a = o.axes[k];
            p.varied[k] = {a.key, a.values[rest % a.values.size()]};
            rest /= a.values.size();
        }
        p.all = o.fixed;
        p.all.insert(p.all.end(), p.varied.begin(), p.varied.end());
    }
    return points;
}

// FNV-1a (64-bit) of the config file's bytes: a changed file reruns every point.
std::string file_hash(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    uint64_t h = 0xcbf29ce484222325ull;
    char buf[8192];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        for (std::streamsize i = 0; i < in.gcount(); ++i) {
            h ^= static_cast<unsigned char>(buf[i]);
            h *= 0x100000001b3ull;
        }
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

std::vector<std::string> override_texts(const std::vector<Override>& v) {
    std::vector<std::string> s;
    for (const Override& o : v) s.push_back(o.key + "=" + o.value);
    return s;
}

// params.yaml: what the point was run with. Its `overrides` and
// `config_fnv1a64` decide whether a finished point can be reused.
std::string params_yaml(const SweepOptions& o, const Point& p, const std::string& hash) {
    YAML::Emitter e;
    e << YAML::BeginMap;
    e << YAML::Key << "config" << YAML::Value << fs::absolute(o.config).lexically_normal().string();
    e << YAML::Key << "config_fnv1a64" << YAML::Value << hash;
    e << YAML::Key << "overrides" << YAML::Value << YAML::BeginSeq;
    for (const std::string& s : override_texts(p.all)) e << YAML::DoubleQuoted << s;
    e << YAML::EndSeq;
    e << YAML::EndMap;
    return std::string(e.c_str()) + "\n";
}

// stats.json exists and parses as a run's output.
bool stats_readable(const fs::path& file, YAML::Node* out = nullptr) {
    try {
        YAML::Node n = YAML::LoadFile(file.string());
        if (!n.IsMap() || !n["devices"] || !n["schema_version"]) return false;
        if (out) *out = n;
        return true;
    } catch (const YAML::Exception&) {
        return false;
    }
}

// A point is complete when its `done` marker (written by the sweep after the
// run exited 0 and its stats.json parsed) and stats.json exist, and its
// params.yaml records the same overrides and config file contents.
bool complete(const Point& p, const std::string& hash) {
    std::error_code ec;
    if (!fs::exists(p.dir / "done", ec) || !stats_readable(p.dir / "stats.json")) return false;
    try {
        const YAML::Node prm = YAML::LoadFile((p.dir / "params.yaml").string());
        if (!prm["config_fnv1a64"] || prm["config_fnv1a64"].as<std::string>() != hash) return false;
        if (!prm["overrides"] || prm["overrides"].as<std::vector<std::string>>() != override_texts(p.all))
            return false;
    } catch (const YAML::Exception&) {
        return false;
    }
    return true;
}

void write_file(const fs::path& file, const std::string& text) {
    const fs::path tmp = file.string() + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f << text;
        f.flush();
        if (!f) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, file);
}

// Starts `exe run CONFIG --quiet --out DIR --set K=V ...`, output into
// DIR/log.txt. Returns the pid, or -1 with `err`.
pid_t spawn_point(const SweepOptions& o, const Point& p, std::string& err) {
    std::vector<std::string> args = {"run", o.config, "--quiet", "--out", p.dir.string()};
    for (const std::string& s : override_texts(p.all)) {
        args.push_back("--set");
        args.push_back(s);
    }
    return spawn_logged(o.exe, args, (p.dir / "log.txt").string(), err);
}

// The log's last line mentioning an error, else its last non-empty line.
std::string telling_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line, last, error;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        last = line;
        if (line.find("error") != std::string::npos || line.find("Error") != std::string::npos) error = line;
    }
    return error.empty() ? last : error;
}

std::string seconds_text(double s) {
    std::ostringstream t;
    t << std::fixed << std::setprecision(1) << s << " s";
    return t.str();
}

// Reads each ok point's stats.json and writes OUT/sweep.csv.
void write_csv(const SweepOptions& o, std::vector<Point>& points, const fs::path& file) {
    std::vector<std::string> columns;
    std::set<std::string> seen;
    std::vector<std::map<std::string, std::string>> rows(points.size());
    for (Point& p : points) {
        if (!p.ok) continue;
        YAML::Node stats;
        if (!stats_readable(p.dir / "stats.json", &stats)) {
            p.ok = false;
            p.failure = "stats.json is missing or unreadable";
            continue;
        }
        for (auto& [name, value] : flatten_stats(stats)) {
            if (seen.insert(name).second) columns.push_back(name);
            rows[p.index][name] = value;
        }
    }
    std::ostringstream csv;
    std::string sep;
    for (const SweepAxis& a : o.axes) {
        csv << sep << csv_cell(a.key);
        sep = ",";
    }
    csv << sep << "status";
    for (const std::string& c : columns) csv << "," << csv_cell(c);
    csv << "\n";
    for (const Point& p : points) {
        sep.clear();
        for (const Override& v : p.varied) {
            csv << sep << csv_cell(v.value);
            sep = ",";
        }
        csv << sep << (p.ok ? "ok" : "failed");
        const auto& row = rows[p.index];
        for (const std::string& c : columns) {
            const auto it = row.find(c);
            csv << "," << (it == row.end() ? "" : csv_cell(it->second));
        }
        csv << "\n";
    }
    write_file(file, csv.str());
}

void write_sweep_yaml(const SweepOptions& o, size_t count, const fs::path& file) {
    YAML::Emitter e;
    e << YAML::BeginMap;
    e << YAML::Key << "config" << YAML::Value << o.config;
    e << YAML::Key << "config_absolute" << YAML::Value << fs::absolute(o.config).lexically_normal().string();
    e << YAML::Key << "vary" << YAML::Value << YAML::BeginSeq;
    for (const SweepAxis& a : o.axes) {
        e << YAML::BeginMap << YAML::Key << "key" << YAML::Value << a.key;
        e << YAML::Key << "values" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const std::string& v : a.values) e << YAML::DoubleQuoted << v;
        e << YAML::EndSeq << YAML::EndMap;
    }
    e << YAML::EndSeq;
    e << YAML::Key << "set" << YAML::Value;
    if (o.fixed.empty()) e << YAML::Flow;
    e << YAML::BeginSeq;
    for (const std::string& s : override_texts(o.fixed)) e << YAML::DoubleQuoted << s;
    e << YAML::EndSeq;
    e << YAML::Key << "points" << YAML::Value << count;
    e << YAML::EndMap;
    write_file(file, std::string(e.c_str()) + "\n");
}

}  // namespace

bool parse_vary(const std::string& text, SweepAxis& out, std::string& err) {
    Override kv;
    if (!parse_override(text, kv, err)) return false;
    out.key = kv.key;
    out.values.clear();
    std::string cur;
    int depth = 0;
    char quote = 0;
    for (char c : kv.value) {
        if (quote) {
            if (c == quote) quote = 0;
        } else if ((c == '"' || c == '\'') && (cur.empty() || depth > 0)) {  // a YAML quoted scalar
            quote = c;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        } else if (c == ',' && depth == 0) {
            out.values.push_back(cur);
            cur.clear();
            continue;
        }
        cur += c;
    }
    out.values.push_back(cur);
    if (kv.value.empty()) {
        err = "no values for '" + out.key + "' (expected KEY=V1,V2,...)";
        return false;
    }
    return true;
}

int run_sweep(const SweepOptions& o, std::ostream& out, std::ostream& err) {
    {
        std::set<std::string> keys;
        for (const SweepAxis& a : o.axes)
            if (!keys.insert(a.key).second) {
                err << "iommusim: sweep: --vary " << a.key << " is given twice\n";
                return 2;
            }
    }
    const fs::path dir = o.out;
    std::vector<Point> points = make_points(o, dir / "points");

    // 1. Every point must be a valid configuration before anything runs.
    size_t invalid = 0;
    std::set<std::string> warnings;
    for (const Point& p : points) {
        try {
            const PlatformConfig cfg = load_platform_config(o.config, p.all);
            for (const std::string& w : cfg.warnings)
                if (warnings.insert(w).second) err << "iommusim: " << w << "\n";
        } catch (const std::exception& e) {  // ConfigError; also a YAML error in a flow value
            if (++invalid <= 10)
                err << "iommusim: sweep point " << p.id << " (" << label(p) << ") is invalid: " << e.what() << "\n";
        }
    }
    if (invalid) {
        if (invalid > 10) err << "iommusim: ... and " << invalid - 10 << " more invalid points\n";
        err << "iommusim: sweep: " << invalid << " of " << points.size()
            << " points are invalid; nothing was run\n";
        return 2;
    }

    // 2. Reuse complete points, run the others.
    const std::string hash = file_hash(o.config);
    std::vector<Point*> todo;
    try {
        fs::create_directories(dir / "points");
        write_sweep_yaml(o, points.size(), dir / "sweep.yaml");
        for (Point& p : points) {
            if (complete(p, hash)) {
                p.reused = p.ok = true;
                continue;
            }
            todo.push_back(&p);
        }
    } catch (const std::exception& e) {
        err << "iommusim: sweep: " << e.what() << "\n";
        return 1;
    }
    const unsigned jobs = std::max(1u, o.jobs);
    out << "sweep: " << points.size() << " point" << (points.size() == 1 ? "" : "s") << ", "
        << points.size() - todo.size() << " already done, running " << todo.size() << " (-j " << jobs << ") in "
        << (dir / "points").string() << "\n"
        << std::flush;

    std::map<pid_t, std::pair<Point*, SteadyClock::time_point>> running;
    size_t next = 0, finished = 0;
    auto report = [&](const Point& p) {
        ++finished;
        out << "[" << finished << "/" << todo.size() << "] " << label(p) << " "
            << (p.ok ? "ok" : "failed (" + p.failure + ")") << " " << seconds_text(p.seconds);
        if (!p.ok) out << ", log: " << (p.dir / "log.txt").string();
        out << "\n" << std::flush;
    };
    while (next < todo.size() || !running.empty()) {
        while (next < todo.size() && running.size() < jobs) {
            Point& p = *todo[next++];
            std::string why;
            pid_t pid = -1;
            try {
                fs::remove_all(p.dir);
                fs::create_directories(p.dir);
                write_file(p.dir / "params.yaml", params_yaml(o, p, hash));
                pid = spawn_point(o, p, why);
            } catch (const std::exception& e) {
                why = e.what();
            }
            if (pid < 0) {
                p.failure = why;
                std::ofstream(p.dir / "log.txt", std::ios::app) << "iommusim sweep: " << why << "\n";
                report(p);
                continue;
            }
            running[pid] = {&p, SteadyClock::now()};
        }
        if (running.empty()) continue;
        int status = 0;
        const pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            err << "iommusim: sweep: waitpid: " << std::strerror(errno) << "\n";
            return 1;
        }
        const auto it = running.find(pid);
        if (it == running.end()) continue;  // not one of ours
        Point& p = *it->second.first;
        p.seconds = std::chrono::duration<double>(SteadyClock::now() - it->second.second).count();
        running.erase(it);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            if (stats_readable(p.dir / "stats.json")) {
                p.ok = true;
                std::ofstream(p.dir / "done") << "ok " << p.seconds << "\n";
            } else {
                p.failure = "exit 0 but stats.json is missing or unreadable";
            }
        } else if (WIFEXITED(status)) {
            p.failure = "exit " + std::to_string(WEXITSTATUS(status));
        } else if (WIFSIGNALED(status)) {
            p.failure = std::string("killed by signal ") + std::to_string(WTERMSIG(status));
        } else {
            p.failure = "stopped";
        }
        report(p);
    }

    // 3. sweep.csv, failures.
    try {
        write_csv(o, points, dir / "sweep.csv");
    } catch (const std::exception& e) {
        err << "iommusim: sweep: " << e.what() << "\n";
        return 1;
    }
    size_t failed = 0;
    for (const Point& p : points) failed += p.ok ? 0 : 1;
    if (failed) {
        err << "iommusim: sweep: " << failed << " of " << points.size() << " points failed:\n";
        for (const Point& p : points) {
            if (p.ok) continue;
            const fs::path log = p.dir / "log.txt";
            const std::string last = telling_line(log);
            err << "  " << p.id << " " << label(p) << ": " << p.failure << (last.empty() ? "" : ": " + last)
                << "\n    log: " << log.string() << "\n";
        }
    }
    out << "wrote " << (dir / "sweep.csv").string() << " (" << points.size() << " row"
        << (points.size() == 1 ? "" : "s") << ", " << failed << " failed) and " << (dir / "sweep.yaml").string()
        << "\n";
    return failed ? 1 : 0;
}

}  // namespace iommusim
