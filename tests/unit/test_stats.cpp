// Histogram, StatsRegistry and JsonWriter.
#define BOOST_TEST_MODULE stats
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <string>

#include "models/common/json.h"
#include "models/common/stats.h"

using namespace iommusim;

namespace {

const double kBound = Histogram::kMaxRelativeError;

bool within(double got, double want, double rel) { return std::fabs(got - want) <= rel * std::fabs(want); }

std::string json_of(const StatsRegistry& r) {
    std::ostringstream os;
    r.write_json(os);
    return os.str();
}

std::string csv_of(const StatsRegistry& r) {
    std::ostringstream os;
    r.write_csv(os);
    return os.str();
}

}  // namespace

// ---------------------------------------------------------------- Histogram

BOOST_AUTO_TEST_CASE(histogram_empty) {
    Histogram h;
    BOOST_TEST(h.count() == 0u);
    BOOST_TEST(h.mean() == 0.0);
    BOOST_TEST(h.min() == 0.0);
    BOOST_TEST(h.max() == 0.0);
    BOOST_TEST(h.p50() == 0.0);
    BOOST_TEST(h.percentile(100) == 0.0);
}

BOOST_AUTO_TEST_CASE(histogram_constant) {
    Histogram h;
    for (int i = 0; i < 1000; ++i) h.record(123.456);
    BOOST_TEST(h.count() == 1000u);
    BOOST_TEST(h.min() == 123.456);
    BOOST_TEST(h.max() == 123.456);
    BOOST_TEST(std::fabs(h.mean() - 123.456) < 1e-9);
    // The bucket midpoint is clamped to [min, max]: exact.
    BOOST_TEST(h.p50() == 123.456);
    BOOST_TEST(h.p90() == 123.456);
    BOOST_TEST(h.p99() == 123.456);
    BOOST_TEST(h.percentile(0) == 123.456);
}

BOOST_AUTO_TEST_CASE(histogram_uniform) {
    Histogram h;
    for (int v = 1; v <= 10000; ++v) h.record(v);
    BOOST_TEST(h.count() == 10000u);
    BOOST_TEST(h.mean() == 5000.5);
    BOOST_TEST(h.min() == 1.0);
    BOOST_TEST(h.max() == 10000.0);
    // Rank ceil(p/100 * 10000): samples 5000, 9000, 9900.
    BOOST_TEST(within(h.p50(), 5000, kBound));
    BOOST_TEST(within(h.p90(), 9000, kBound));
    BOOST_TEST(within(h.p99(), 9900, kBound));
    // 5000 lies in [4096, 8192), sub-bucket floor((5000/4096 - 1) * 64) = 14,
    // i.e. [4992, 5056): reported as its midpoint.
    BOOST_TEST(h.p50() == 5024.0);
    BOOST_TEST(h.percentile(0) == 1.0);
    BOOST_TEST(h.percentile(100) == 10000.0);
    BOOST_TEST(within(h.percentile(25), 2500, kBound));
    BOOST_TEST(within(h.percentile(0.01), 1, kBound));  // rank 1
    BOOST_TEST(h.percentile(-5) == 1.0);                // clamped
    BOOST_TEST(h.percentile(500) == 10000.0);
}

// Exponential with mean 100 ns, sampled deterministically through its inverse
// CDF: x_i = -100 ln(1 - (i - 0.5)/N). Quantile q is -100 ln(1 - q):
// p50 = 69.31, p90 = 230.26, p99 = 460.52.
BOOST_AUTO_TEST_CASE(histogram_exponential) {
    const int n = 100000;
    const double m = 100.0;
    auto x = [&](int i) { return -m * std::log(1.0 - (i - 0.5) / n); };
    Histogram h;
    for (int i = n; i >= 1; --i) h.record(x(i));  // insertion order is irrelevant
    BOOST_TEST(within(h.mean(), m, 1e-3));
    for (double q : {0.5, 0.9, 0.99, 0.999}) {
        const double p = q * 100;
        const double analytic = -m * std::log(1.0 - q);
        const double sample = x(static_cast<int>(std::ceil(q * n - 1e-9)));  // exact empirical quantile
        BOOST_TEST_CONTEXT("q=" << q) {
            BOOST_TEST(within(h.percentile(p), sample, kBound));
            BOOST_TEST(within(h.percentile(p), analytic, kBound + 1e-3));
        }
    }
    BOOST_TEST(within(h.p50(), 69.3147, kBound));
    BOOST_TEST(within(h.p90(), 230.2585, kBound));
    BOOST_TEST(within(h.p99(), 460.5170, kBound));
}

// The documented bound holds across the whole range, for a value that no
// clamping can help (it is neither min nor max).
BOOST_AUTO_TEST_CASE(histogram_error_bound) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> exp2(Histogram::kMinExp, Histogram::kMaxExp - 1.01);
    double worst = 0;
    for (int i = 0; i < 20000; ++i) {
        const double v = std::exp2(exp2(rng));
        const size_t b = Histogram::bucket_of(v);
        BOOST_REQUIRE(b >= 1u);
        BOOST_REQUIRE(b <= Histogram::kBuckets);
        BOOST_REQUIRE(Histogram::bucket_low(b) <= v);
        BOOST_REQUIRE(v < Histogram::bucket_high(b));
        BOOST_REQUIRE(Histogram::bucket_high(b) - Histogram::bucket_low(b) <=
                      Histogram::bucket_low(b) / 64 * (1 + 1e-12));
        Histogram h;
        h.record(0);
        h.record(v);
        h.record(std::ldexp(1.0, Histogram::kMaxExp - 1));
        const double err = std::fabs(h.p50() - v) / v;
        worst = std::max(worst, err);
        BOOST_REQUIRE(err <= kBound);
    }
    BOOST_TEST(worst > kBound * 0.9);  // the bound is tight, not loose
    // Bucket edges.
    BOOST_TEST(Histogram::bucket_of(1.0) == Histogram::bucket_of(1.0 + 1.0 / 128));
    BOOST_TEST(Histogram::bucket_of(1.0) + 1 == Histogram::bucket_of(1.0 + 1.0 / 64));
    BOOST_TEST(Histogram::bucket_of(std::nextafter(2.0, 0.0)) + 1 == Histogram::bucket_of(2.0));
    BOOST_TEST(Histogram::bucket_low(Histogram::bucket_of(1000.0)) == 1000.0);  // 1000 = 512 * (1 + 61/64)
    BOOST_TEST(Histogram::bucket_of(std::ldexp(1.0, Histogram::kMinExp)) == 1u);
    BOOST_TEST(Histogram::bucket_of(std::ldexp(1.0, Histogram::kMaxExp)) == Histogram::kBuckets + 1);
}

BOOST_AUTO_TEST_CASE(histogram_underflow_overflow) {
    Histogram h;
    h.record(0);
    h.record(0.0001);
    h.record(-3);  // recorded as 0
    h.record(std::numeric_limits<double>::quiet_NaN());  // recorded as 0
    BOOST_TEST(h.count() == 4u);
    BOOST_TEST(h.min() == 0.0);
    BOOST_TEST(h.max() == 0.0001);
    BOOST_TEST(Histogram::bucket_of(0.0001) == 0u);
    // Underflow bucket [0, 2^-10): midpoint 2^-11, clamped to max.
    BOOST_TEST(h.p50() == 0.0001);
    BOOST_TEST(std::fabs(h.p50() - 0.0001) <= std::ldexp(1.0, Histogram::kMinExp - 1));

    Histogram big;
    big.record(1);
    big.record(std::ldexp(1.0, 41));
    big.record(std::ldexp(1.0, 45));
    BOOST_TEST(big.p50() == std::ldexp(1.0, 45));  // overflow bucket reports max
    BOOST_TEST(big.percentile(1) == 1.0078125);  // rank 1: bucket [1, 1 + 1/64) midpoint
}

BOOST_AUTO_TEST_CASE(histogram_merge) {
    Histogram a, b, all;
    for (int v = 1; v <= 5000; ++v) a.record(v * 1.5);
    for (int v = 5001; v <= 10000; ++v) b.record(v * 1.5);
    for (int v = 1; v <= 10000; ++v) all.record(v * 1.5);
    Histogram m;
    m.merge(a);  // into an empty histogram
    m.merge(b);
    m.merge(Histogram());  // an empty one changes nothing
    BOOST_TEST(m.count() == all.count());
    BOOST_TEST(m.min() == all.min());
    BOOST_TEST(m.max() == all.max());
    BOOST_TEST(m.sum() == all.sum());
    for (double p : {0.0, 1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 100.0}) BOOST_TEST(m.percentile(p) == all.percentile(p));
    // Merge keeps the smaller min of the receiver.
    Histogram c;
    c.record(0.5);
    c.merge(b);
    BOOST_TEST(c.min() == 0.5);
    BOOST_TEST(c.max() == 15000.0);
    c.reset();
    BOOST_TEST(c.count() == 0u);
    BOOST_TEST(c.p99() == 0.0);
}

BOOST_AUTO_TEST_CASE(histogram_record_n) {
    Histogram a, b;
    a.record_n(10, 3);
    a.record_n(20, 0);
    for (int i = 0; i < 3; ++i) b.record(10);
    BOOST_TEST(a.count() == 3u);
    BOOST_TEST(a.sum() == 30.0);
    BOOST_TEST(a.max() == 10.0);
    BOOST_TEST(a.p50() == b.p50());
}

// ------------------------------------------------------------ StatsRegistry

BOOST_AUTO_TEST_CASE(registry_small_exact_output) {
    uint64_t hits = 0, misses = 1, tlps = std::numeric_limits<uint64_t>::max();
    Histogram lat;
    for (double v : {10.0, 20.0, 30.0, 40.0}) lat.record(v);
    StatsRegistry r;
    r.add_counter("smmu0.iotlb.hits", &hits);
    r.add_counter("smmu0.iotlb.misses", &misses);
    r.add_value("smmu0.iotlb.hit_rate", [&] { return double(hits) / double(hits + misses); });
    r.add_counter("pcie.rc.tlps", &tlps);
    r.add_histogram("smmu0.latency", &lat);
    r.add_value("x", [] { return 2.0; });
    BOOST_TEST(r.size() == 6u);
    BOOST_TEST(r.contains("x"));
    BOOST_TEST(!r.contains("smmu0"));

    hits = 3;  // counters are read at dump time

    // lat: p50 = rank 2 = 20, bucket [20, 20.25) -> 20.125; p90 / p99 = rank 4
    // = 40, bucket [40, 40.5) midpoint 40.25 clamped to max = 40.
    const std::vector<std::pair<std::string, double>> want = {
        {"pcie.rc.tlps", 18446744073709551615.0},
        {"smmu0.iotlb.hit_rate", 0.75},
        {"smmu0.iotlb.hits", 3},
        {"smmu0.iotlb.misses", 1},
        {"smmu0.latency.count", 4},
        {"smmu0.latency.max", 40},
        {"smmu0.latency.mean", 25},
        {"smmu0.latency.p50", 20.125},
        {"smmu0.latency.p90", 40},
        {"smmu0.latency.p99", 40},
        {"x", 2},
    };
    const auto flat = r.flatten();
    BOOST_TEST_REQUIRE(flat.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        BOOST_TEST(flat[i].first == want[i].first);
        BOOST_TEST(flat[i].second == want[i].second);
    }

    BOOST_TEST(json_of(r) ==
               "{\n"
               "  \"pcie\": {\n"
               "    \"rc\": {\n"
               "      \"tlps\": 18446744073709551615\n"
               "    }\n"
               "  },\n"
               "  \"smmu0\": {\n"
               "    \"iotlb\": {\n"
               "      \"hit_rate\": 0.75,\n"
               "      \"hits\": 3,\n"
               "      \"misses\": 1\n"
               "    },\n"
               "    \"latency\": {\n"
               "      \"count\": 4,\n"
               "      \"max\": 40,\n"
               "      \"mean\": 25,\n"
               "      \"p50\": 20.125,\n"
               "      \"p90\": 40,\n"
               "      \"p99\": 40\n"
               "    }\n"
               "  },\n"
               "  \"x\": 2\n"
               "}\n");

    BOOST_TEST(csv_of(r) ==
               "name,value\n"
               "pcie.rc.tlps,18446744073709551615\n"
               "smmu0.iotlb.hit_rate,0.75\n"
               "smmu0.iotlb.hits,3\n"
               "smmu0.iotlb.misses,1\n"
               "smmu0.latency.count,4\n"
               "smmu0.latency.max,40\n"
               "smmu0.latency.mean,25\n"
               "smmu0.latency.p50,20.125\n"
               "smmu0.latency.p90,40\n"
               "smmu0.latency.p99,40\n"
               "x,2\n");

    // Embedded in a larger document, compact.
    std::ostringstream os;
    JsonWriter w(os, 0);
    w.begin_object().key("run").value("t1").key("stats");
    StatsRegistry small;
    small.add_counter("a.b", &misses);
    small.write_json(w);
    w.end_object();
    BOOST_TEST(w.complete());
    BOOST_TEST(os.str() == R"({"run":"t1","stats":{"a":{"b":1}}})");
}

BOOST_AUTO_TEST_CASE(registry_empty) {
    StatsRegistry r;
    BOOST_TEST(json_of(r) == "{}\n");
    BOOST_TEST(csv_of(r) == "name,value\n");
    BOOST_TEST(r.flatten().empty());
}

// JSON members are ordered component by component, CSV rows by full name;
// the two differ when a component sorts below '.'.
BOOST_AUTO_TEST_CASE(registry_ordering) {
    uint64_t one = 1, two = 2;
    StatsRegistry r;
    r.add_counter("a-b.c", &one);
    r.add_counter("a.b", &two);
    std::ostringstream os;
    JsonWriter w(os, 0);
    r.write_json(w);
    BOOST_TEST(os.str() == R"({"a":{"b":2},"a-b":{"c":1}})");
    BOOST_TEST(csv_of(r) == "name,value\na-b.c,1\na.b,2\n");
}

BOOST_AUTO_TEST_CASE(registry_rejects_bad_names) {
    uint64_t v = 0;
    Histogram h;
    StatsRegistry r;
    r.add_counter("smmu0.iotlb.hits", &v);
    r.add_histogram("smmu0.lat", &h);
    // Duplicates, whatever the kind.
    BOOST_CHECK_THROW(r.add_counter("smmu0.iotlb.hits", &v), std::logic_error);
    BOOST_CHECK_THROW(r.add_value("smmu0.iotlb.hits", [] { return 1.0; }), std::logic_error);
    BOOST_CHECK_THROW(r.add_histogram("smmu0.lat", &h), std::logic_error);
    // A name may not be both a value and an object.
    BOOST_CHECK_THROW(r.add_counter("smmu0.iotlb", &v), std::logic_error);
    BOOST_CHECK_THROW(r.add_counter("smmu0", &v), std::logic_error);
    BOOST_CHECK_THROW(r.add_counter("smmu0.iotlb.hits.x", &v), std::logic_error);
    BOOST_CHECK_THROW(r.add_counter("smmu0.lat.count", &v), std::logic_error);  // histogram field
    // Malformed names and null sources.
    BOOST_CHECK_THROW(r.add_counter("", &v), std::invalid_argument);
    BOOST_CHECK_THROW(r.add_counter(".a", &v), std::invalid_argument);
    BOOST_CHECK_THROW(r.add_counter("a.", &v), std::invalid_argument);
    BOOST_CHECK_THROW(r.add_counter("a..b", &v), std::invalid_argument);
    BOOST_CHECK_THROW(r.add_counter("null", nullptr), std::invalid_argument);
    BOOST_CHECK_THROW(r.add_histogram("nullh", nullptr), std::invalid_argument);
    BOOST_CHECK_THROW(r.add_value("nullf", std::function<double()>()), std::invalid_argument);
    BOOST_TEST(r.size() == 2u);
    // Similar but distinct names are fine.
    r.add_counter("smmu0.iotlb.hits2", &v);
    r.add_counter("smmu0.iotlbx", &v);
    r.add_counter("smmu00", &v);
    BOOST_TEST(r.size() == 5u);
}

BOOST_AUTO_TEST_CASE(registry_escaping_and_special_values) {
    uint64_t v = 7;
    StatsRegistry r;
    r.add_counter("dev\"1\".q,\\x", &v);
    r.add_value("f.nan", [] { return std::nan(""); });
    r.add_value("f.inf", [] { return -std::numeric_limits<double>::infinity(); });
    r.add_value("f.third", [] { return 1.0 / 3; });
    std::ostringstream os;
    JsonWriter w(os, 0);
    r.write_json(w);
    BOOST_TEST(os.str() == R"({"dev\"1\"":{"q,\\x":7},"f":{"inf":null,"nan":null,"third":0.3333333333333333}})");
    BOOST_TEST(csv_of(r) ==
               "name,value\n"
               "\"dev\"\"1\"\".q,\\x\",7\n"
               "f.inf,-inf\n"
               "f.nan,nan\n"
               "f.third,0.3333333333333333\n");
}

BOOST_AUTO_TEST_CASE(registry_cache_counters) {
    CacheCounters c;  // as SetAssocCache::counters() returns them
    StatsRegistry r;
    add_cache_counters(r, "smmu0.iotlb", c);
    BOOST_TEST(r.flatten()[2].second == 0.0);  // hit_rate before any lookup
    c.lookups = 4;
    c.hits = 2;
    c.misses = 2;
    c.fills = 1;
    const auto flat = r.flatten();
    const std::vector<std::pair<std::string, double>> want = {
        {"smmu0.iotlb.evictions", 0}, {"smmu0.iotlb.fills", 1},    {"smmu0.iotlb.hit_rate", 0.5},
        {"smmu0.iotlb.hits", 2},      {"smmu0.iotlb.invalidations", 0}, {"smmu0.iotlb.lookups", 4},
        {"smmu0.iotlb.misses", 2},
    };
    BOOST_TEST_REQUIRE(flat.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        BOOST_TEST(flat[i].first == want[i].first);
        BOOST_TEST(flat[i].second == want[i].second);
    }
}

// --------------------------------------------------------------- JsonWriter

BOOST_AUTO_TEST_CASE(json_escaping) {
    BOOST_TEST(JsonWriter::quote("plain") == "\"plain\"");
    BOOST_TEST(JsonWriter::quote("a\"b\\c/d") == R"("a\"b\\c/d")");
    BOOST_TEST(JsonWriter::quote("\b\f\n\r\t") == R"("\b\f\n\r\t")");
    BOOST_TEST(JsonWriter::quote(std::string("\x01\x1f\x7f", 3)) == "\"\\u0001\\u001f\x7f\"");
    BOOST_TEST(JsonWriter::quote(std::string("nul\0x", 5)) == R"("nul\u0000x")");
    BOOST_TEST(JsonWriter::quote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");  // UTF-8 as is
    BOOST_TEST(JsonWriter::quote("") == "\"\"");
}

BOOST_AUTO_TEST_CASE(json_numbers) {
    BOOST_TEST(JsonWriter::number(3.0) == "3");
    BOOST_TEST(JsonWriter::number(-2.5) == "-2.5");
    BOOST_TEST(JsonWriter::number(0.1) == "0.1");
    BOOST_TEST(JsonWriter::number(-0.0) == "0");
    BOOST_TEST(JsonWriter::number(1e300) == "1e+300");
    BOOST_TEST(JsonWriter::number(1.5e-7) == "1.5e-07");
    BOOST_TEST(JsonWriter::number(9007199254740991.0) == "9007199254740991");
    BOOST_TEST(JsonWriter::number(std::nan("")) == "null");
    BOOST_TEST(JsonWriter::number(std::numeric_limits<double>::infinity()) == "null");
    const double x = 0.1 + 0.2;  // shortest form still reads back exactly
    BOOST_TEST(std::stod(JsonWriter::number(x)) == x);
}

BOOST_AUTO_TEST_CASE(json_writer_compact) {
    std::ostringstream os;
    JsonWriter w(os, 0);
    w.begin_object()
        .key("s").value("x")
        .key("i").value(-5)
        .key("u").value(std::numeric_limits<uint64_t>::max())
        .key("d").value(1.25)
        .key("b").value(true)
        .key("n").value(nullptr)
        .key("e").begin_object().end_object()
        .key("ea").begin_array().end_array()
        .key("a").begin_array().value(1).value("two").begin_object().key("k").value(false).end_object()
        .begin_array().end_array().end_array()
        .end_object();
    BOOST_TEST(w.complete());
    BOOST_TEST(os.str() ==
               R"({"s":"x","i":-5,"u":18446744073709551615,"d":1.25,"b":true,"n":null,"e":{},"ea":[],)"
               R"("a":[1,"two",{"k":false},[]]})");
}

BOOST_AUTO_TEST_CASE(json_writer_pretty) {
    std::ostringstream os;
    JsonWriter w(os);  // 2-space indent
    w.begin_object().key("a").value(1).key("b").begin_array().value(2).value(3).end_array();
    w.key("c").begin_object().end_object().end_object();
    BOOST_TEST(os.str() ==
               "{\n"
               "  \"a\": 1,\n"
               "  \"b\": [\n"
               "    2,\n"
               "    3\n"
               "  ],\n"
               "  \"c\": {}\n"
               "}");
    std::ostringstream os4;
    JsonWriter w4(os4, 4);
    w4.begin_array().value("x").end_array();
    BOOST_TEST(os4.str() == "[\n    \"x\"\n]");
}

BOOST_AUTO_TEST_CASE(json_writer_misuse) {
    std::ostringstream os;
    {
        JsonWriter w(os);
        w.begin_object();
        BOOST_CHECK_THROW(w.value(1), std::logic_error);  // no key
        w.key("k");
        BOOST_CHECK_THROW(w.key("k2"), std::logic_error);         // two keys
        BOOST_CHECK_THROW(w.end_object(), std::logic_error);      // key without value
        w.value(1);
        BOOST_CHECK_THROW(w.end_array(), std::logic_error);       // not an array
        w.end_object();
        BOOST_TEST(w.complete());
        BOOST_CHECK_THROW(w.value(2), std::logic_error);          // second top-level value
        BOOST_CHECK_THROW(w.end_object(), std::logic_error);      // unbalanced
    }
    {
        JsonWriter w(os);
        BOOST_CHECK_THROW(w.key("k"), std::logic_error);          // key at top level
        w.begin_array();
        BOOST_CHECK_THROW(w.key("k"), std::logic_error);          // key in an array
        BOOST_CHECK_THROW(w.end_object(), std::logic_error);
        BOOST_TEST(!w.complete());
        w.end_array();
        BOOST_TEST(w.complete());
    }
    {
        JsonWriter w(os);
        w.value(42);  // a scalar document
        BOOST_TEST(w.complete());
    }
}
