#include "models/common/stats.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <ostream>
#include <stdexcept>

#include "models/common/json.h"

namespace iommusim {

// ---------------------------------------------------------------- Histogram

namespace {
constexpr unsigned kMantissaBits = 52;
constexpr int kExpBias = 1023;
const double kLowest = std::ldexp(1.0, Histogram::kMinExp);
const double kHighest = std::ldexp(1.0, Histogram::kMaxExp);
}  // namespace

Histogram::Histogram() : buckets_(kBuckets + 2, 0) {}

size_t Histogram::bucket_of(double ns) {
    if (!(ns >= kLowest)) return 0;  // also NaN
    if (ns >= kHighest) return kBuckets + 1;
    uint64_t bits;
    static_assert(sizeof bits == sizeof ns);
    std::memcpy(&bits, &ns, sizeof bits);
    // Biased exponent and the top kSubBucketBits mantissa bits, relative to 2^kMinExp.
    const uint64_t key = bits >> (kMantissaBits - kSubBucketBits);
    const uint64_t base = uint64_t(kMinExp + kExpBias) << kSubBucketBits;
    return static_cast<size_t>(key - base) + 1;
}

double Histogram::bucket_low(size_t b) {
    if (b == 0) return 0.0;
    if (b > kBuckets) return kHighest;
    const size_t j = b - 1;
    const int e = kMinExp + static_cast<int>(j >> kSubBucketBits);
    const double sub = static_cast<double>(j & ((size_t{1} << kSubBucketBits) - 1));
    return std::ldexp(1.0 + sub / (1 << kSubBucketBits), e);
}

double Histogram::bucket_high(size_t b) {
    if (b == 0) return kLowest;
    if (b > kBuckets) return std::numeric_limits<double>::infinity();
    const size_t j = b - 1;
    const int e = kMinExp + static_cast<int>(j >> kSubBucketBits);
    const double sub = static_cast<double>(j & ((size_t{1} << kSubBucketBits) - 1));
    return std::ldexp(1.0 + (sub + 1) / (1 << kSubBucketBits), e);
}

void Histogram::record_n(double ns, uint64_t n) {
    if (n == 0) return;
    if (!(ns >= 0)) ns = 0;  // negative or NaN
    buckets_[bucket_of(ns)] += n;
    if (count_ == 0) {
        min_ = max_ = ns;
    } else {
        if (ns < min_) min_ = ns;
        if (ns > max_) max_ = ns;
    }
    count_ += n;
    sum_ += ns * static_cast<double>(n);
}

double Histogram::percentile(double p) const {
    if (count_ == 0) return 0.0;
    if (!(p > 0)) return min_;
    if (p >= 100) return max_;
    // 1-based rank of the sample; p * count first, so integral p gives an exact rank.
    double r = std::ceil(p * static_cast<double>(count_) / 100.0);
    if (r < 1) r = 1;
    const uint64_t rank = std::min(count_, static_cast<uint64_t>(r));
    uint64_t seen = 0;
    for (size_t b = 0; b < buckets_.size(); ++b) {
        seen += buckets_[b];
        if (seen >= rank) {
            if (b > kBuckets) return max_;
            const double mid = 0.5 * (bucket_low(b) + bucket_high(b));
            return std::clamp(mid, min_, max_);
        }
    }
    return max_;  // not reached
}

void Histogram::merge(const Histogram& o) {
    if (o.count_ == 0) return;
    for (size_t b = 0; b < buckets_.size(); ++b) buckets_[b] += o.buckets_[b];
    if (count_ == 0) {
        min_ = o.min_;
        max_ = o.max_;
    } else {
        min_ = std::min(min_, o.min_);
        max_ = std::max(max_, o.max_);
    }
    count_ += o.count_;
    sum_ += o.sum_;
}

void Histogram::reset() {
    std::fill(buckets_.begin(), buckets_.end(), uint64_t{0});
    count_ = 0;
    sum_ = min_ = max_ = 0;
}

// ------------------------------------------------------------ StatsRegistry

namespace {

void check_name(const std::string& name) {
    if (name.empty()) throw std::invalid_argument("statistic name is empty");
    if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos)
        throw std::invalid_argument("statistic name '" + name + "' has an empty component");
}

std::vector<std::string> split(const std::string& name) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        const size_t dot = name.find('.', start);
        out.push_back(name.substr(start, dot - start));
        if (dot == std::string::npos) return out;
        start = dot + 1;
    }
}

std::string csv_number(bool is_uint, uint64_t u, double d) {
    if (is_uint) return std::to_string(u);
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    return JsonWriter::number(d);
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

}  // namespace

void StatsRegistry::add(const std::string& name, Entry e) {
    check_name(name);
    if (entries_.count(name)) throw std::logic_error("duplicate statistic name '" + name + "'");
    for (size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1))
        if (entries_.count(name.substr(0, dot)))
            throw std::logic_error("statistic '" + name + "' is nested under the statistic '" +
                                   name.substr(0, dot) + "'");
    const std::string below = name + ".";
    const auto it = entries_.lower_bound(below);
    if (it != entries_.end() && it->first.compare(0, below.size(), below) == 0)
        throw std::logic_error("statistic '" + name + "' would contain the statistic '" + it->first + "'");
    entries_.emplace(name, std::move(e));
}

void StatsRegistry::add_counter(const std::string& name, const uint64_t* value) {
    if (!value) throw std::invalid_argument("statistic '" + name + "': null counter");
    add(name, Entry(value));
}

void StatsRegistry::add_value(const std::string& name, std::function<double()> fn) {
    if (!fn) throw std::invalid_argument("statistic '" + name + "': empty function");
    add(name, Entry(std::move(fn)));
}

void StatsRegistry::add_histogram(const std::string& name, const Histogram* h) {
    if (!h) throw std::invalid_argument("statistic '" + name + "': null histogram");
    add(name, Entry(h));
}

std::vector<StatsRegistry::Scalar> StatsRegistry::scalars() const {
    std::vector<Scalar> out;
    for (const auto& [name, e] : entries_) {
        if (const auto* c = std::get_if<const uint64_t*>(&e)) {
            out.push_back(Scalar{name, true, **c, 0.0});
        } else if (const auto* f = std::get_if<std::function<double()>>(&e)) {
            out.push_back(Scalar{name, false, 0, (*f)()});
        } else {
            const Histogram& h = *std::get<const Histogram*>(e);
            out.push_back(Scalar{name + ".count", true, h.count(), 0.0});
            out.push_back(Scalar{name + ".max", false, 0, h.max()});
            out.push_back(Scalar{name + ".mean", false, 0, h.mean()});
            out.push_back(Scalar{name + ".p50", false, 0, h.p50()});
            out.push_back(Scalar{name + ".p90", false, 0, h.p90()});
            out.push_back(Scalar{name + ".p99", false, 0, h.p99()});
        }
    }
    std::sort(out.begin(), out.end(), [](const Scalar& a, const Scalar& b) { return a.name < b.name; });
    return out;
}

std::vector<std::pair<std::string, double>> StatsRegistry::flatten() const {
    std::vector<std::pair<std::string, double>> out;
    for (const Scalar& s : scalars()) out.emplace_back(s.name, s.as_double());
    return out;
}

void StatsRegistry::write_json(JsonWriter& w) const {
    const std::vector<Scalar> all = scalars();
    std::vector<std::pair<std::vector<std::string>, size_t>> leaves;
    leaves.reserve(all.size());
    for (size_t i = 0; i < all.size(); ++i) leaves.emplace_back(split(all[i].name), i);
    std::sort(leaves.begin(), leaves.end());  // component-wise: keeps every object's members together

    w.begin_object();
    std::vector<std::string> open;  // objects currently open below the root
    for (const auto& [path, i] : leaves) {
        const size_t dirs = path.size() - 1;
        size_t common = 0;
        while (common < open.size() && common < dirs && open[common] == path[common]) ++common;
        while (open.size() > common) {
            w.end_object();
            open.pop_back();
        }
        for (size_t k = common; k < dirs; ++k) {
            w.key(path[k]).begin_object();
            open.push_back(path[k]);
        }
        const Scalar& s = all[i];
        w.key(path.back());
        if (s.is_uint) w.value_uint(s.u);
        else w.value(s.d);
    }
    for (size_t k = 0; k < open.size(); ++k) w.end_object();
    w.end_object();
}

void StatsRegistry::write_json(std::ostream& os) const {
    JsonWriter w(os, 2);
    write_json(w);
    os << '\n';
}

void StatsRegistry::write_csv(std::ostream& os) const {
    os << "name,value\n";
    for (const Scalar& s : scalars()) os << csv_field(s.name) << ',' << csv_number(s.is_uint, s.u, s.d) << '\n';
}

void add_cache_counters(StatsRegistry& r, const std::string& prefix, const CacheCounters& c) {
    r.add_counter(prefix + ".lookups", &c.lookups);
    r.add_counter(prefix + ".hits", &c.hits);
    r.add_counter(prefix + ".misses", &c.misses);
    r.add_counter(prefix + ".fills", &c.fills);
    r.add_counter(prefix + ".evictions", &c.evictions);
    r.add_counter(prefix + ".invalidations", &c.invalidations);
    const CacheCounters* p = &c;
    r.add_value(prefix + ".hit_rate", [p] {
        return p->lookups ? static_cast<double>(p->hits) / static_cast<double>(p->lookups) : 0.0;
    });
}

}  // namespace iommusim
