// Trace-file parser (format in trace_file.h and docs/traffic.md).
#include "traffic/pattern/trace_file.h"

#include <cerrno>
#include <cstdint>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <system_error>

#include "models/common/requester_id.h"

namespace iommusim::traffic {

TraceError::TraceError(const std::string& file, size_t line, const std::string& message)
    : std::runtime_error(file + (line ? ":" + std::to_string(line) : std::string()) + ": " + message),
      file_(file),
      line_(line),
      message_(message) {}

namespace {

constexpr const char* kFields[6] = {"time_ns", "requester", "pasid", "address", "size", "access"};
constexpr uint32_t kMaxSize = 1u << 20;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string trim(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && is_blank(s[a])) ++a;
    while (b > a && is_blank(s[b - 1])) --b;
    return s.substr(a, b - a);
}

// The text found, quoted for a message: at most 40 characters, bytes that
// are not printable ASCII as \xNN.
std::string quote(const std::string& s) {
    static const char* hex = "0123456789abcdef";
    std::string q = "'";
    for (size_t i = 0; i < s.size() && i < 40; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f) {
            q += char(c);
        } else {
            q += "\\x";
            q += hex[c >> 4];
            q += hex[c & 15];
        }
    }
    if (s.size() > 40) q += "...";
    return q + "'";
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

enum class Num { ok, bad, overflow };

// Whole string as a decimal or 0x-hex unsigned 64-bit number.
Num parse_u64(const std::string& s, uint64_t& v) {
    int base = 10;
    size_t at = 0;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        at = 2;
    }
    if (at >= s.size()) return Num::bad;
    for (size_t i = at; i < s.size(); ++i)
        if (base == 16 ? !is_hex(s[i]) : !(s[i] >= '0' && s[i] <= '9')) return Num::bad;
    const auto r = std::from_chars(s.data() + at, s.data() + s.size(), v, base);
    if (r.ec == std::errc::result_out_of_range) return Num::overflow;
    return r.ec == std::errc() && r.ptr == s.data() + s.size() ? Num::ok : Num::bad;
}

// Exactly `digits` hex digits.
bool parse_hex_fixed(const std::string& s, size_t digits, unsigned& v) {
    if (s.size() != digits) return false;
    v = 0;
    for (char c : s) {
        if (!is_hex(c)) return false;
        v = v * 16 + unsigned(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return true;
}

class LineParser {
public:
    LineParser(const std::string& file, size_t line) : file_(file), line_(line) {}

    [[noreturn]] void fail(const std::string& message) const { throw TraceError(file_, line_, message); }
    [[noreturn]] void fail(const char* field, const std::string& what, const std::string& found) const {
        fail(std::string(field) + ": " + what + ", found " + quote(found));
    }

    double time(const std::string& s) const {
        // digits [ '.' digits ] | '.' digits
        size_t digits = 0, dots = 0;
        for (char c : s) {
            if (c >= '0' && c <= '9')
                ++digits;
            else if (c == '.')
                ++dots;
            else
                fail("time_ns", "expected a non-negative decimal number of ns", s);
        }
        if (digits == 0 || dots > 1) fail("time_ns", "expected a non-negative decimal number of ns", s);
        double v = 0;
        const auto r = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
        if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v))
            fail("time_ns", "not a representable number of ns", s);
        return v;
    }

    void requester(const std::string& s, TraceRecord& rec) const {
        const char* expect = "expected [ssss:]bb:dd.f in hex (segment 4 digits, bus 2, device 2, function 1)";
        std::string rest = s;
        unsigned seg = 0;
        const size_t first = s.find(':');
        if (first != std::string::npos && s.find(':', first + 1) != std::string::npos) {
            if (!parse_hex_fixed(s.substr(0, first), 4, seg)) fail("requester", expect, s);
            rest = s.substr(first + 1);
        }
        const size_t colon = rest.find(':'), dot = rest.find('.');
        unsigned bus, dev, fn;
        if (colon == std::string::npos || dot == std::string::npos || dot < colon ||
            !parse_hex_fixed(rest.substr(0, colon), 2, bus) ||
            !parse_hex_fixed(rest.substr(colon + 1, dot - colon - 1), 2, dev) ||
            !parse_hex_fixed(rest.substr(dot + 1), 1, fn))
            fail("requester", expect, s);
        if (dev > 0x1f) fail("requester", "device must be 00-1f", s);
        if (fn > 7) fail("requester", "function must be 0-7", s);
        rec.segment = static_cast<uint16_t>(seg);
        rec.rid = RequesterId::make(bus, dev, fn).value;
    }

    void pasid(const std::string& s, TraceRecord& rec) const {
        if (s == "-") return;
        uint64_t v = 0;
        const Num n = parse_u64(s, v);
        if (n == Num::bad) fail("pasid", "expected '-' or a decimal or 0x-hex number", s);
        if (n == Num::overflow || v >= (uint64_t(1) << 20)) fail("pasid", "must be below 2^20 (0x100000)", s);
        rec.pasid_valid = true;
        rec.pasid = static_cast<uint32_t>(v);
    }

    uint64_t address(const std::string& s) const {
        uint64_t v = 0;
        const Num n = parse_u64(s, v);
        if (n == Num::bad) fail("address", "expected a decimal or 0x-hex number", s);
        if (n == Num::overflow) fail("address", "does not fit in 64 bits", s);
        return v;
    }

    uint32_t size(const std::string& s) const {
        uint64_t v = 0;
        const Num n = parse_u64(s, v);
        if (n == Num::bad) fail("size", "expected a decimal or 0x-hex number of bytes", s);
        if (n == Num::overflow || v < 1 || v > kMaxSize) fail("size", "must be 1..1048576 bytes", s);
        return static_cast<uint32_t>(v);
    }

    bool access(const std::string& s) const {
        if (s == "r" || s == "R") return false;
        if (s == "w" || s == "W") return true;
        fail("access", "expected r or w", s);
    }

private:
    const std::string& file_;
    size_t line_;
};

std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> f;
    size_t at = 0;
    for (;;) {
        const size_t comma = line.find(',', at);
        f.push_back(trim(line.substr(at, comma == std::string::npos ? std::string::npos : comma - at)));
        if (comma == std::string::npos) return f;
        at = comma + 1;
    }
}

bool is_header(const std::vector<std::string>& f) {
    if (f.size() != 6) return false;
    for (size_t i = 0; i < 6; ++i)
        if (f[i] != kFields[i]) return false;
    return true;
}

}  // namespace

std::vector<TraceRecord> parse_trace(std::istream& in, const std::string& file_name) {
    std::vector<TraceRecord> out;
    std::string raw;
    size_t line = 0;
    bool first_content = true;
    double last_time = 0;
    std::string last_time_text;
    size_t last_line = 0;
    while (std::getline(in, raw)) {
        ++line;
        const std::string text = trim(raw);
        if (text.empty() || text[0] == '#') continue;
        const LineParser p(file_name, line);
        const std::vector<std::string> f = split_fields(text);
        if (is_header(f)) {
            if (!first_content) p.fail("the header line is only allowed before the first record");
            first_content = false;
            continue;
        }
        first_content = false;
        if (f.size() != 6)
            p.fail("expected 6 comma-separated fields (time_ns,requester,pasid,address,size,access), found " +
                   std::to_string(f.size()) + " in " + quote(text));
        TraceRecord r;
        r.line = line;
        r.time_ns = p.time(f[0]);
        p.requester(f[1], r);
        p.pasid(f[2], r);
        r.address = p.address(f[3]);
        r.size = p.size(f[4]);
        r.write = p.access(f[5]);
        if (r.size - 1 > UINT64_MAX - r.address)
            p.fail("address", "the access [address, address + size) wraps past 2^64", f[3]);
        if (!out.empty() && r.time_ns < last_time)
            p.fail("time_ns",
                   "earlier than the previous record's " + last_time_text + " (line " + std::to_string(last_line) +
                       "); times must not decrease",
                   f[0]);
        last_time = r.time_ns;
        last_time_text = f[0];
        last_line = line;
        out.push_back(r);
    }
    if (in.bad()) throw TraceError(file_name, 0, "cannot read: I/O error after line " + std::to_string(line));
    return out;
}

std::vector<TraceRecord> load_trace(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw TraceError(path, 0, "cannot read: is a directory");
    std::ifstream in(path);
    if (!in) throw TraceError(path, 0, std::string("cannot read: ") + std::strerror(errno));
    return parse_trace(in, path);
}

}  // namespace iommusim::traffic
