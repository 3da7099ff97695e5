// Statistics (no SystemC): a latency histogram and a registry of named
// counters that is dumped as JSON or CSV at the end of a run.
//
// Components keep their own plain integers / histograms and increment them
// on the hot path; the registry only holds pointers (and callbacks for derived
// values) and reads them when a dump is requested. Everything registered must
// outlive the dumps.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "models/common/cache.h"

namespace iommusim {

class JsonWriter;

// Latency histogram, samples in ns (any non-negative double).
//
// Buckets are log-linear (HdrHistogram-like): every power-of-two range
// [2^e, 2^(e+1)) for e in [kMinExp, kMaxExp) is split into 64 equal
// sub-buckets, so a bucket spans 1/64 of its range's lower bound. The bucket
// of a sample is read directly from the bits of the double (exponent and the
// top 6 mantissa bits): O(1), no allocation per record (the bucket array is
// allocated once, in the constructor).
//
// percentile(p) returns the midpoint of the bucket holding the sample of rank
// ceil(p/100 * count) (1-based, samples in increasing order), clamped to
// [min(), max()]. Error bound: for samples in [2^kMinExp, 2^kMaxExp) ns
// (~1 ps to ~18 minutes) the result is within a relative error of
// kMaxRelativeError = 1/128 (0.78%) of that sample. Below 2^kMinExp
// (including 0) samples share one underflow bucket [0, 2^kMinExp) reported by
// its midpoint (absolute error <= 2^(kMinExp-1) ns); from 2^kMaxExp up
// (including +inf) they share one overflow bucket reported as max().
// percentile(0) is exactly min() and percentile(100) exactly max().
// count, sum, mean, min and max are exact (sum/mean up to double rounding).
// Negative and NaN samples are recorded as 0.
// An empty histogram reports 0 for everything.
class Histogram {
public:
    static constexpr int kSubBucketBits = 6;  // 64 sub-buckets per power of two
    static constexpr int kMinExp = -10;       // 2^-10 ns (~1 ps)
    static constexpr int kMaxExp = 40;        // 2^40 ns (~18 min)
    static constexpr double kMaxRelativeError = 1.0 / 128;
    static constexpr size_t kBuckets = size_t(kMaxExp - kMinExp) << kSubBucketBits;  // plus under/overflow

    Histogram();

    void record(double ns) { record_n(ns, 1); }
    void record_n(double ns, uint64_t n);  // n samples of the same value

    uint64_t count() const { return count_; }
    double sum() const { return sum_; }
    double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
    double min() const { return count_ ? min_ : 0.0; }
    double max() const { return count_ ? max_ : 0.0; }
    // p in [0, 100] (clamped).
    double percentile(double p) const;
    double p50() const { return percentile(50); }
    double p90() const { return percentile(90); }
    double p99() const { return percentile(99); }

    void merge(const Histogram& o);
    void reset();

    // Bucket inspection (tests): index of the bucket a sample falls in
    // (0 = underflow, kBuckets + 1 = overflow) and that bucket's bounds.
    static size_t bucket_of(double ns);
    static double bucket_low(size_t b);
    static double bucket_high(size_t b);

private:
    std::vector<uint64_t> buckets_;  // kBuckets + 2
    uint64_t count_ = 0;
    double sum_ = 0;
    double min_ = 0, max_ = 0;
};

// Named statistics. Names are hierarchical, dot-separated
// ("smmu0.iotlb.hits"): non-empty components, no leading/trailing/double
// dots (std::invalid_argument otherwise). A name may not be registered twice,
// nor be a dot-prefix of another registered name (e.g. "a.b" and "a.b.c"),
// since JSON could not hold both: std::logic_error.
//
// A histogram "x" expands to the scalars x.count, x.mean, x.p50, x.p90,
// x.p99, x.max.
class StatsRegistry {
public:
    void add_counter(const std::string& name, const uint64_t* value);
    void add_value(const std::string& name, std::function<double()> fn);
    void add_histogram(const std::string& name, const Histogram* h);

    bool contains(const std::string& name) const { return entries_.count(name) != 0; }
    size_t size() const { return entries_.size(); }  // registrations, not scalars

    // Every scalar, sorted by full name (plain string order).
    std::vector<std::pair<std::string, double>> flatten() const;

    // Nested objects following the dots, members sorted by name at every
    // level; counters and histogram counts as exact integers, other values as
    // JsonWriter numbers (integral values without decimals, NaN/inf as null).
    // Pretty-printed with a 2-space indent and a final newline; an empty
    // registry gives "{}".
    //   {
    //     "smmu0": {
    //       "iotlb": {
    //         "hits": 3
    //       }
    //     }
    //   }
    void write_json(std::ostream& os) const;
    // The same object written as one value into an ongoing document, e.g.
    // w.key("stats"); reg.write_json(w);
    void write_json(JsonWriter& w) const;

    // "name,value" header, then one row per scalar in flatten() order; numbers
    // as in JSON except NaN / inf / -inf written as nan / inf / -inf. Names
    // containing ',', '"', CR or LF are quoted (RFC 4180).
    void write_csv(std::ostream& os) const;

private:
    using Entry = std::variant<const uint64_t*, std::function<double()>, const Histogram*>;
    struct Scalar {
        std::string name;
        bool is_uint;
        uint64_t u;
        double d;
        double as_double() const { return is_uint ? static_cast<double>(u) : d; }
    };
    void add(const std::string& name, Entry e);
    std::vector<Scalar> scalars() const;  // sorted by name

    std::map<std::string, Entry> entries_;
};

// Registers a cache's counters as <prefix>.lookups, .hits, .misses, .fills,
// .evictions, .invalidations and the derived <prefix>.hit_rate (hits /
// lookups, 0 before the first lookup).
void add_cache_counters(StatsRegistry& r, const std::string& prefix, const CacheCounters& c);

}  // namespace iommusim
