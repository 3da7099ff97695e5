#include "platforms/yaml_reader.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace iommusim {

namespace {
std::string where(const std::string& file, const YAML::Mark& m) {
    std::ostringstream os;
    os << file;
    if (!m.is_null()) os << ':' << (m.line + 1) << ':' << (m.column + 1);
    return os.str();
}
}  // namespace

ConfigError::ConfigError(const std::string& file, const YAML::Mark& mark, const std::string& key,
                         const std::string& msg)
    : std::runtime_error(where(file, mark) + ": " + (key.empty() ? "" : "'" + key + "': ") + msg) {}

ConfigError::ConfigError(const std::string& file, const std::string& msg)
    : std::runtime_error(file + ": " + msg) {}

ConfigError::ConfigError(const std::string& file, const std::string& key, const std::string& msg)
    : std::runtime_error(file + ": '" + key + "': " + msg) {}

YAML::Node load_yaml_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError(path, "cannot open file");
    try {
        return YAML::Load(in);
    } catch (const YAML::Exception& e) {
        throw ConfigError(path, e.mark, "", e.msg);
    }
}

bool parse_size(const std::string& s0, uint64_t& out) {
    std::string s;
    for (char c : s0)
        if (c != ' ' && c != '_') s += c;
    if (s.empty()) return false;
    errno = 0;
    char* end = nullptr;
    const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    unsigned long long v = std::strtoull(s.c_str(), &end, hex ? 16 : 10);
    if (errno != 0 || end == s.c_str()) return false;
    std::string suf(end);
    uint64_t mul = 1;
    if (suf.empty() || suf == "B")
        mul = 1;
    else if (suf == "K" || suf == "KiB" || suf == "KB" || suf == "k")
        mul = uint64_t{1} << 10;
    else if (suf == "M" || suf == "MiB" || suf == "MB")
        mul = uint64_t{1} << 20;
    else if (suf == "G" || suf == "GiB" || suf == "GB")
        mul = uint64_t{1} << 30;
    else if (suf == "T" || suf == "TiB" || suf == "TB")
        mul = uint64_t{1} << 40;
    else
        return false;
    if (mul != 1 && v > UINT64_MAX / mul) return false;
    out = v * mul;
    return true;
}

std::string format_size(uint64_t b) {
    static const char* units[] = {"TiB", "GiB", "MiB", "KiB"};
    static const unsigned shifts[] = {40, 30, 20, 10};
    for (int i = 0; i < 4; ++i) {
        const uint64_t m = uint64_t{1} << shifts[i];
        if (b >= m && b % m == 0) return std::to_string(b / m) + units[i];
    }
    return std::to_string(b);
}

YamlMap::YamlMap(const YAML::Node& node, std::string file, std::string path, YAML::Node resolved)
    : node_(node), file_(std::move(file)), path_(std::move(path)), resolved_(resolved) {
    if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap())
        throw ConfigError(file_, node_.Mark(), path_, "expected a mapping");
}

std::string YamlMap::key_path(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
}

YAML::Node YamlMap::value(const std::string& key) const {
    used_.insert(key);
    if (!node_.IsDefined() || node_.IsNull()) return YAML::Node();
    return node_[key];
}

bool YamlMap::has(const std::string& key) const {
    return node_.IsDefined() && node_.IsMap() && node_[key].IsDefined() && !node_[key].IsNull();
}

YAML::Mark YamlMap::mark_of(const std::string& key) const {
    if (node_.IsDefined() && node_.IsMap()) {
        for (auto it = node_.begin(); it != node_.end(); ++it)
            if (it->first.as<std::string>() == key) return it->second.Mark();
        return node_.Mark();
    }
    return YAML::Mark::null_mark();
}

void YamlMap::fail(const std::string& key, const std::string& msg) const {
    throw ConfigError(file_, mark_of(key), key_path(key), msg);
}

uint64_t YamlMap::get_u64(const std::string& key, uint64_t def, uint64_t min, uint64_t max) {
    YAML::Node v = value(key);
    uint64_t out = def;
    if (v.IsDefined() && !v.IsNull()) {
        if (!v.IsScalar() || !parse_size(v.Scalar(), out))
            fail(key, "expected a non-negative integer (0x hex and KiB/MiB/GiB suffixes allowed), got '" +
                          (v.IsScalar() ? v.Scalar() : std::string("<non-scalar>")) + "'");
        if (out < min || out > max)
            fail(key, "value " + std::to_string(out) + " out of range [" + std::to_string(min) + ", " +
                          std::to_string(max) + "]");
    }
    resolved_[key] = out;
    return out;
}

uint64_t YamlMap::require_u64(const std::string& key, uint64_t min, uint64_t max) {
    if (!has(key)) fail(key, "required key is missing");
    return get_u64(key, 0, min, max);
}

double YamlMap::get_double(const std::string& key, double def, double min, double max) {
    YAML::Node v = value(key);
    double out = def;
    if (v.IsDefined() && !v.IsNull()) {
        char* end = nullptr;
        const std::string s = v.IsScalar() ? v.Scalar() : "";
        out = std::strtod(s.c_str(), &end);
        if (s.empty() || *end != '\0' || !std::isfinite(out))
            fail(key, "expected a number, got '" + s + "'");
        if (out < min || out > max)
            fail(key, "value " + s + " out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    resolved_[key] = out;
    return out;
}

bool YamlMap::get_bool(const std::string& key, bool def) {
    YAML::Node v = value(key);
    bool out = def;
    if (v.IsDefined() && !v.IsNull()) {
        const std::string s = v.IsScalar() ? v.Scalar() : "";
        if (s == "true" || s == "yes" || s == "on")
            out = true;
        else if (s == "false" || s == "no" || s == "off")
            out = false;
        else
            fail(key, "expected true or false, got '" + s + "'");
    }
    resolved_[key] = out;
    return out;
}

std::string YamlMap::get_string(const std::string& key, const std::string& def) {
    YAML::Node v = value(key);
    std::string out = def;
    if (v.IsDefined() && !v.IsNull()) {
        if (!v.IsScalar()) fail(key, "expected a string");
        out = v.Scalar();
    }
    resolved_[key] = out;
    return out;
}

std::string YamlMap::require_string(const std::string& key) {
    if (!has(key)) fail(key, "required key is missing");
    return get_string(key, "");
}

std::string YamlMap::get_enum(const std::string& key, const std::string& def,
                              const std::vector<std::string>& choices) {
    std::string s = get_string(key, def);
    for (const auto& c : choices)
        if (c == s) return s;
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    fail(key, "'" + s + "' is not one of: " + list);
}

YamlMap YamlMap::map(const std::string& key) {
    YAML::Node v = value(key);
    if (v.IsDefined() && !v.IsNull() && !v.IsMap()) fail(key, "expected a mapping");
    YAML::Node r = resolved_[key];
    if (!r.IsMap()) {
        resolved_[key] = YAML::Node(YAML::NodeType::Map);
        r = resolved_[key];
    }
    return YamlMap(v, file_, key_path(key), r);
}

void YamlMap::each(const std::string& key, const std::function<void(size_t, YamlMap&)>& fn,
                   bool required) {
    YAML::Node v = value(key);
    if (!v.IsDefined() || v.IsNull()) {
        if (required) fail(key, "required key is missing");
        resolved_[key] = YAML::Node(YAML::NodeType::Sequence);
        return;
    }
    if (!v.IsSequence()) fail(key, "expected a list");
    YAML::Node out(YAML::NodeType::Sequence);
    for (size_t i = 0; i < v.size(); ++i) {
        YAML::Node r(YAML::NodeType::Map);
        YamlMap m(v[i], file_, key_path(key) + "[" + std::to_string(i) + "]", r);
        fn(i, m);
        m.finish();
        out.push_back(r);
    }
    resolved_[key] = out;
}

void YamlMap::finish() const {
    if (!node_.IsDefined() || !node_.IsMap()) return;
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        const std::string k = it->first.as<std::string>();
        if (!used_.count(k))
            throw ConfigError(file_, it->first.Mark(), key_path(k), "unknown key");
    }
}

}  // namespace iommusim
