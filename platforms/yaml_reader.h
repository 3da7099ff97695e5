// Strict YAML reading with locations.
//
// YamlMap wraps one mapping node: every get() names a key, converts its
// value (numbers accept 0x hex and size suffixes KiB/MiB/GiB/TiB), records
// the value actually used (given or default) into a "resolved" node, and
// finish() rejects keys nobody asked for. Every error is a ConfigError with
// file:line:column of the offending node and the dotted key path.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace iommusim {

class ConfigError : public std::runtime_error {
public:
    ConfigError(const std::string& file, const YAML::Mark& mark, const std::string& key,
                const std::string& msg);
    ConfigError(const std::string& file, const std::string& msg);  // no location (e.g. unreadable)
    // No location in the file, but a key (e.g. a --set override).
    ConfigError(const std::string& file, const std::string& key, const std::string& msg);
};

// Loads a file; YAML syntax errors become ConfigError with their location.
YAML::Node load_yaml_file(const std::string& path);

class YamlMap {
public:
    // `node` may be undefined/null (an absent optional section): then every
    // get() returns its default.
    YamlMap(const YAML::Node& node, std::string file, std::string path, YAML::Node resolved);

    bool has(const std::string& key) const;
    uint64_t get_u64(const std::string& key, uint64_t def, uint64_t min = 0,
                     uint64_t max = UINT64_MAX);
    uint64_t require_u64(const std::string& key, uint64_t min = 0, uint64_t max = UINT64_MAX);
    double get_double(const std::string& key, double def, double min, double max);
    bool get_bool(const std::string& key, bool def);
    std::string get_string(const std::string& key, const std::string& def);
    std::string require_string(const std::string& key);
    // One of `choices`.
    std::string get_enum(const std::string& key, const std::string& def,
                         const std::vector<std::string>& choices);
    // A nested mapping (absent → all defaults).
    YamlMap map(const std::string& key);
    // A sequence of mappings; fn(index, map) for each element.
    void each(const std::string& key, const std::function<void(size_t, YamlMap&)>& fn,
              bool required = false);

    // Rejects keys that were never asked for.
    void finish() const;

    [[noreturn]] void fail(const std::string& key, const std::string& msg) const;
    const std::string& file() const { return file_; }
    const std::string& path() const { return path_; }
    YAML::Node resolved() const { return resolved_; }

private:
    YAML::Node value(const std::string& key) const;
    std::string key_path(const std::string& key) const;
    YAML::Mark mark_of(const std::string& key) const;

    YAML::Node node_;
    std::string file_;
    std::string path_;
    YAML::Node resolved_;
    mutable std::set<std::string> used_;
};

// Parses "4096", "0x1000", "4KiB", "16MiB", "1GiB", "2TiB" (also K/M/G/T and KB).
bool parse_size(const std::string& s, uint64_t& out);
std::string format_size(uint64_t bytes);

}  // namespace iommusim
