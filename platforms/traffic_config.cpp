#include "platforms/traffic_config.h"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace iommusim {

namespace {

// Shape keys and the patterns that take them.
const std::map<std::string, std::vector<std::string>> kShapeKeys = {
    {"start", {"sequential", "strided"}},
    {"stride", {"sequential", "strided"}},
    {"length", {"sequential"}},
    {"count", {"strided"}},
    {"row_step", {"strided"}},
    {"hot_fraction", {"hotcold"}},
    {"hot_probability", {"hotcold"}},
    {"alpha", {"zipf"}},
};

bool takes(const std::string& key, const std::string& pattern) {
    for (const auto& p : kShapeKeys.at(key))
        if (p == pattern) return true;
    return false;
}

}  // namespace

GeneratorParams read_traffic(YamlMap& t, uint64_t buffer_size) {
    GeneratorParams g;
    g.pattern = t.get_enum("pattern", g.pattern, {"sequential", "random", "hotcold", "zipf", "strided"});
    const bool other_limit = t.has("bytes") || t.has("duration_ns");
    g.transactions = t.get_u64("transactions", other_limit ? 0 : g.transactions);
    g.bytes = t.get_u64("bytes", 0);
    g.duration_ns = t.get_double("duration_ns", 0, 0, 1e15);
    if (!g.transactions && !g.bytes && g.duration_ns <= 0)
        t.fail("transactions", "no limit: set transactions, bytes or duration_ns (one of them non-zero)");
    g.size = static_cast<uint32_t>(t.get_u64("size", g.size, 1, 1 << 20));
    if (g.size > buffer_size) t.fail("size", "transaction larger than the device's buffer");
    g.write_fraction = t.get_double("write_fraction", g.write_fraction, 0, 1);
    g.seed = t.get_u64("seed", g.seed);
    g.gap_ns = t.get_double("gap_ns", g.gap_ns, 0, 1e9);
    g.outstanding = static_cast<unsigned>(t.get_u64("outstanding", 1, 1, 1024));
    g.rate_mtps = t.get_double("rate_mtps", 0, 0, 1e6);
    g.rate_gbps = t.get_double("rate_gbps", 0, 0, 1e6);
    if (g.rate_mtps > 0 && g.rate_gbps > 0) t.fail("rate_gbps", "give rate_mtps or rate_gbps, not both");
    if ((g.rate_mtps > 0 || g.rate_gbps > 0) && g.gap_ns > 0)
        t.fail("gap_ns", "gap_ns is for closed loop; an open-loop rate is set");
    if (t.has("pasid")) {
        g.pasid_valid = true;
        g.pasid = static_cast<uint32_t>(t.get_u64("pasid", 0, 0, (1u << 20) - 1));
    }

    for (const auto& [key, patterns] : kShapeKeys)
        if (t.has(key) && !takes(key, g.pattern)) {
            std::string list;
            for (const auto& p : patterns) list += (list.empty() ? "" : " or ") + p;
            t.fail(key, "only for pattern " + list + " (this device's pattern is " + g.pattern + ")");
        }
    traffic::PatternParams& s = g.shape;
    if (takes("start", g.pattern)) s.start = t.get_u64("start", 0);
    if (takes("stride", g.pattern)) s.stride = t.get_u64("stride", 0);
    if (takes("length", g.pattern)) s.length = t.get_u64("length", 0);
    if (takes("count", g.pattern)) s.count = t.get_u64("count", 1, 1);
    if (takes("row_step", g.pattern)) s.row_step = t.get_u64("row_step", 0);
    if (takes("hot_fraction", g.pattern)) s.hot_fraction = t.get_double("hot_fraction", s.hot_fraction, 0, 1);
    if (takes("hot_probability", g.pattern))
        s.hot_probability = t.get_double("hot_probability", s.hot_probability, 0, 1);
    if (takes("alpha", g.pattern)) s.alpha = t.get_double("alpha", s.alpha, 0, 100);

    // Try the pattern on the device's window now, so a shape that cannot work
    // is reported at its key (the message starts with the parameter's name).
    traffic::PatternParams trial = s;
    trial.kind = g.pattern;
    trial.base = 0;
    trial.window = buffer_size;
    trial.size = g.size;
    trial.seed = g.seed;
    try {
        traffic::make_pattern(trial);
    } catch (const std::invalid_argument& e) {
        const std::string msg = e.what();
        const size_t colon = msg.find(':');
        const std::string key = colon == std::string::npos ? "pattern" : msg.substr(0, colon);
        const std::string why = colon == std::string::npos ? msg : msg.substr(msg.find_first_not_of(' ', colon + 1));
        if (t.has(key)) t.fail(key, why);
        t.fail("pattern", msg);
    }
    return g;
}

}  // namespace iommusim
