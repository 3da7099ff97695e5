#include "platforms/traffic_config.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "traffic/pattern/trace_file.h"

namespace iommusim {

namespace {

// Every pattern-specific key and the patterns that take it; a key given for
// a pattern that does not take it is refused (nothing silently ignored).
const std::vector<std::string> kAddressPatterns = {"sequential", "random", "hotcold", "zipf", "strided"};

std::vector<std::string> with(std::vector<std::string> v, const std::vector<std::string>& more) {
    v.insert(v.end(), more.begin(), more.end());
    return v;
}

const std::map<std::string, std::vector<std::string>> kPatternKeys = {
    {"transactions", kAddressPatterns},
    {"bytes", kAddressPatterns},
    {"duration_ns", with(kAddressPatterns, {"ring", "storage"})},
    {"size", with(kAddressPatterns, {"ring", "storage"})},
    {"write_fraction", with(kAddressPatterns, {"storage"})},
    {"seed", with(kAddressPatterns, {"storage"})},
    {"gap_ns", kAddressPatterns},
    {"rate_mtps", kAddressPatterns},
    {"rate_gbps", kAddressPatterns},
    {"pasid", with(kAddressPatterns, {"ring", "storage"})},
    {"outstanding", with(kAddressPatterns, {"trace", "storage"})},
    {"start", {"sequential", "strided"}},
    {"stride", {"sequential", "strided"}},
    {"length", {"sequential"}},
    {"count", {"strided"}},
    {"row_step", {"strided"}},
    {"hot_fraction", {"hotcold"}},
    {"hot_probability", {"hotcold"}},
    {"alpha", {"zipf"}},
    {"file", {"trace"}},
    {"packets", {"ring"}},
    {"packet_size", {"ring"}},
    {"ring_entries", {"ring"}},
    {"direction", {"ring"}},
    {"packet_gap_ns", {"ring"}},
    {"requests", {"storage"}},
    {"block_size", {"storage"}},
    {"segment_size", {"storage"}},
    {"unmap_policy", {"ring", "storage"}},
    {"flush_batch", {"ring", "storage"}},
    {"flush_timeout_ns", {"ring", "storage"}},
};

bool takes(const std::string& key, const std::string& pattern) {
    for (const auto& p : kPatternKeys.at(key))
        if (p == pattern) return true;
    return false;
}

void refuse_other_patterns_keys(YamlMap& t, const std::string& pattern) {
    for (const auto& [key, patterns] : kPatternKeys)
        if (t.has(key) && !takes(key, pattern)) {
            std::string list;
            for (const auto& p : patterns) list += (list.empty() ? "" : ", ") + p;
            t.fail(key, "not a key of pattern " + pattern + " (only of " + list + ")");
        }
}

// pattern: trace — the records of this device's requester ID in `file`
// (relative to the platform file), replayed at their times.
void read_trace_traffic(YamlMap& t, GeneratorParams& g, const std::string& config_dir) {
    g.trace_file = t.require_string("file");
    g.outstanding = static_cast<unsigned>(t.get_u64("outstanding", 16, 1, 1024));
    std::filesystem::path p(g.trace_file);
    if (p.is_relative() && !config_dir.empty()) p = std::filesystem::path(config_dir) / p;
    try {
        g.trace = std::make_shared<const std::vector<traffic::TraceRecord>>(traffic::load_trace(p.string()));
    } catch (const traffic::TraceError& e) {
        t.fail("file", std::string("bad trace: ") + e.what() + " (the run does not start)");
    }
    if (g.trace->empty()) t.fail("file", "the trace holds no records: " + p.string());
}

// unmap_policy and, for deferred only, its flush-queue keys.
void read_unmap_policy(YamlMap& t, DriverDmaParams& d) {
    parse_unmap_policy(t.get_enum("unmap_policy", "strict", {"strict", "deferred", "none"}), d.unmap_policy);
    if (d.unmap_policy != UnmapPolicy::Deferred) {
        for (const char* k : {"flush_batch", "flush_timeout_ns"})
            if (t.has(k))
                t.fail(k, std::string("only with unmap_policy: deferred (this device's is ") +
                              unmap_policy_name(d.unmap_policy) + ")");
        return;
    }
    d.flush_batch = t.get_u64("flush_batch", d.flush_batch, 1, 1u << 20);
    d.flush_timeout_ns = t.get_double("flush_timeout_ns", d.flush_timeout_ns, 0, 1e15);
}

uint64_t roundup(uint64_t v, uint64_t g) { return (v + g - 1) / g * g; }

// pattern: ring / storage — the driver-in-the-loop generators
// (traffic/ring_generator.h, traffic/storage_generator.h; same layout checks).
void read_driven_traffic(YamlMap& t, GeneratorParams& g, uint64_t buffer_size, uint64_t granule) {
    if (g.pattern == "ring") {
        RingParams& r = g.ring;
        r.packets = t.get_u64("packets", r.packets, 1);
        r.packet_size = static_cast<uint32_t>(t.get_u64("packet_size", r.packet_size, 1, 1 << 20));
        g.size = static_cast<uint32_t>(t.get_u64("size", 256, 1, 1 << 20));
        r.ring_entries = static_cast<uint32_t>(t.get_u64("ring_entries", r.ring_entries, 1, 1 << 16));
        r.tx = t.get_enum("direction", "rx", {"rx", "tx"}) == "tx";
        read_unmap_policy(t, g.dma);
        r.packet_gap_ns = t.get_double("packet_gap_ns", 0, 0, 1e12);
        const uint64_t ring = roundup(uint64_t{r.ring_entries} * 16, granule);
        const uint64_t slot = roundup(r.packet_size, granule);
        if (buffer_size < ring + slot)
            t.fail(t.has("packet_size") ? "packet_size" : "ring_entries",
                   "the device's buffer (" + std::to_string(buffer_size) + " bytes) must hold the ring (" +
                       std::to_string(ring) + " bytes) and at least one packet buffer (" + std::to_string(slot) +
                       " bytes, whole granules); enlarge buffer.size");
    } else {
        StorageParams& s = g.storage;
        s.requests = t.get_u64("requests", s.requests, 1);
        s.block_size = t.get_u64("block_size", s.block_size, 1, uint64_t{1} << 30);
        s.segment_size = t.get_u64("segment_size", s.segment_size, 1, uint64_t{1} << 30);
        if (s.segment_size % granule != 0)
            t.fail("segment_size", "must be a multiple of the device's granule (" + std::to_string(granule) + ")");
        if (s.block_size % s.segment_size != 0) t.fail("block_size", "must be a multiple of segment_size");
        g.size = static_cast<uint32_t>(t.get_u64("size", std::min<uint64_t>(s.segment_size, 1 << 20), 1,
                                                 std::min<uint64_t>(s.segment_size, 1 << 20)));
        g.write_fraction = t.get_double("write_fraction", 0, 0, 1);
        g.outstanding = static_cast<unsigned>(t.get_u64("outstanding", 1, 1, 1024));
        read_unmap_policy(t, g.dma);
        g.seed = t.get_u64("seed", g.seed);
        const uint64_t segs = s.block_size / s.segment_size;
        const uint64_t sg = roundup(uint64_t{g.outstanding} * segs * 16, granule);
        const uint64_t blocks = buffer_size > sg ? (buffer_size - sg) / s.segment_size / segs : 0;
        if (blocks < g.outstanding)
            t.fail("block_size", "the device's buffer (" + std::to_string(buffer_size) + " bytes) holds " +
                                     std::to_string(blocks) + " blocks after the scatter-gather lists (" +
                                     std::to_string(sg) + " bytes); outstanding = " +
                                     std::to_string(g.outstanding) + " needs as many; enlarge buffer.size");
    }
    g.duration_ns = t.get_double("duration_ns", 0, 0, 1e15);
    if (t.has("pasid")) {
        g.pasid_valid = true;
        g.pasid = static_cast<uint32_t>(t.get_u64("pasid", 0, 0, (1u << 20) - 1));
    }
}

}  // namespace

GeneratorParams read_traffic(YamlMap& t, uint64_t buffer_size, const std::string& config_dir, uint64_t granule) {
    GeneratorParams g;
    g.pattern = t.get_enum("pattern", g.pattern, with(kAddressPatterns, {"trace", "ring", "storage"}));
    refuse_other_patterns_keys(t, g.pattern);
    if (g.pattern == "trace") {
        read_trace_traffic(t, g, config_dir);
        return g;
    }
    if (g.pattern == "ring" || g.pattern == "storage") {
        read_driven_traffic(t, g, buffer_size, granule);
        return g;
    }
    const bool other_limit = t.has("bytes") || t.has("duration_ns");
    g.transactions = t.get_u64("transactions", other_limit ? 0 : g.transactions);
    g.bytes = t.get_u64("bytes", 0);
    g.duration_ns = t.get_double("duration_ns", 0, 0, 1e15);
    if (!g.transactions && !g.bytes && g.duration_ns <= 0)
        t.fail("transactions", "no limit: set transactions, bytes or duration_ns (one of them non-zero)");
    g.size = static_cast<uint32_t>(t.get_u64("size", g.size, 1, 1 << 20));
    if (g.size > buffer_size) t.fail("size", "transaction larger than the device's buffer");
    g.window = t.get_u64("window", 0);
    if (g.window > buffer_size) t.fail("window", "larger than the device's buffer");
    if (g.window && g.size > g.window) t.fail("size", "transaction larger than the pattern's window");
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
    trial.window = g.window ? g.window : buffer_size;
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
