#include "platforms/overrides.h"

#include <cctype>

#include "platforms/yaml_reader.h"

namespace iommusim {

namespace {

std::vector<std::string> split_path(const std::string& key) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : key) {
        if (c == '.') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.push_back(cur);
    return parts;
}

bool is_index(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

YAML::Node value_node(const std::string& v) {
    if (!v.empty() && (v[0] == '[' || v[0] == '{')) return YAML::Load(v);
    return YAML::Node(v);  // a plain scalar; "64", "true", "4KiB" are read by type later
}

}  // namespace

bool parse_override(const std::string& text, Override& out, std::string& err) {
    const size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        err = "expected KEY=VALUE, got '" + text + "'";
        return false;
    }
    out.key = text.substr(0, eq);
    out.value = text.substr(eq + 1);
    for (const std::string& p : split_path(out.key))
        if (p.empty()) {
            err = "empty path element in '" + out.key + "'";
            return false;
        }
    return true;
}

void apply_overrides(YAML::Node root, const std::vector<Override>& overrides, const std::string& file) {
    for (const Override& o : overrides) {
        const std::vector<std::string> parts = split_path(o.key);
        const std::string where = "--set " + o.key;
        YAML::Node cur = root;
        std::string done;  // path walked so far
        for (size_t i = 0; i < parts.size(); ++i) {
            const std::string& part = parts[i];
            const bool last = i + 1 == parts.size();
            if (cur.IsSequence()) {
                YAML::Node elem;
                bool found = false;  // (a default YAML::Node is a defined null: no use as "none")
                if (is_index(part)) {
                    const size_t idx = std::stoul(part);
                    if (idx < cur.size()) {
                        elem.reset(cur[idx]);
                        found = true;
                    }
                } else {
                    for (size_t k = 0; k < cur.size(); ++k) {
                        const YAML::Node e = cur[k];
                        if (!e.IsMap()) continue;
                        for (const char* id_key : {"name", "id"})
                            if (!found && e[id_key] && e[id_key].IsScalar() && e[id_key].Scalar() == part) {
                                elem.reset(e);
                                found = true;
                            }
                    }
                }
                if (!found) throw ConfigError(file, where, "'" + done + "' has no element '" + part + "'");
                if (last) throw ConfigError(file, where, "cannot replace a whole list element");
                cur.reset(elem);
            } else {
                if (!cur.IsMap() && !cur.IsNull())
                    throw ConfigError(file, where, "'" + done + "' is a value, not a mapping");
                if (last) {
                    cur[part] = value_node(o.value);
                } else {
                    YAML::Node next = cur[part];
                    if (!next || next.IsNull()) {
                        cur[part] = YAML::Node(YAML::NodeType::Map);
                        next = cur[part];
                    }
                    cur.reset(next);
                }
            }
            done += (done.empty() ? "" : ".") + part;
        }
    }
}

}  // namespace iommusim
