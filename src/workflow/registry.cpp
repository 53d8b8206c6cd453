// WorkflowRegistry: versions of specs side by side, each validated before it is added.
#include <algorithm>

#include "gridgov/workflow.hpp"

namespace gridgov {
namespace {

std::string quote(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

bool before(const WorkflowSpec& s, std::string_view key, int version) {
    return s.key < key || (s.key == key && s.version < version);
}

/// "township_six_step@2:/transitions/4/who/1" → pointer "/transitions/4/who/1" and field
/// "who" (the last segment that is not an array index).
std::pair<std::string, std::string> locate(const Finding& f) {
    const std::size_t colon = f.where.find(":/");
    const std::string pointer = colon == std::string::npos ? "" : f.where.substr(colon + 1);
    std::string field;
    std::size_t end = pointer.size();
    while (end > 0) {
        const std::size_t slash = pointer.rfind('/', end - 1);
        const std::string segment = pointer.substr(slash + 1, end - slash - 1);
        if (!segment.empty() && !std::all_of(segment.begin(), segment.end(),
                                             [](char ch) { return ch >= '0' && ch <= '9'; })) {
            field = segment;
            break;
        }
        if (slash == 0 || slash == std::string::npos)
            break;
        end = slash;
    }
    return {pointer, field};
}

}  // namespace

WorkflowRegistry WorkflowRegistry::builtin() {
    WorkflowRegistry registry;
    const CategoryCatalogue categories = CategoryCatalogue::preset("combined");
    for (const std::string& key : WorkflowSpec::preset_keys()) {
        WorkflowSpec spec = WorkflowSpec::preset(key);
        const Catalogue roles = spec.expected_catalogue();
        registry.add(std::move(spec), &roles, &categories);
    }
    return registry;
}

std::vector<Finding> WorkflowRegistry::add(WorkflowSpec spec, const Catalogue* roles,
                                           const CategoryCatalogue* categories) {
    std::vector<Finding> findings = spec.validate(roles, categories);
    for (const Finding& f : findings) {
        if (f.severity != Severity::error)
            continue;
        const auto [pointer, field] = locate(f);
        throw Error(ErrorCode::invalid_argument,
                    "workflow " + spec.id() + " refused at " + (pointer.empty() ? "/" : pointer) +
                        " (field '" + field + "'): " + f.message + " [" + f.rule + "]");
    }
    const auto it = std::lower_bound(
        specs_.begin(), specs_.end(), spec,
        [](const WorkflowSpec& a, const WorkflowSpec& b) { return before(a, b.key, b.version); });
    if (it != specs_.end() && it->key == spec.key && it->version == spec.version) {
        throw Error(ErrorCode::already_exists,
                    "workflow " + spec.id() +
                        " is already registered; a version never changes "
                        "once registered (add version " +
                        std::to_string(latest(spec.key).version + 1) + ")");
    }
    specs_.insert(it, std::move(spec));
    findings.erase(std::remove_if(findings.begin(), findings.end(),
                                  [](const Finding& f) { return f.severity == Severity::error; }),
                   findings.end());
    return findings;
}

std::vector<Finding> WorkflowRegistry::add_json(std::string_view text, std::string_view source_name,
                                                const Catalogue* roles,
                                                const CategoryCatalogue* categories) {
    return add(WorkflowSpec::from_json(text, source_name), roles, categories);
}

bool WorkflowRegistry::contains(std::string_view key, int version) const {
    return std::any_of(specs_.begin(), specs_.end(),
                       [&](const WorkflowSpec& s) { return s.key == key && s.version == version; });
}

const WorkflowSpec& WorkflowRegistry::get(std::string_view key, int version) const {
    for (const WorkflowSpec& s : specs_) {
        if (s.key == key && s.version == version)
            return s;
    }
    throw Error(ErrorCode::not_found, "no workflow " + quote(key) + " version " +
                                          std::to_string(version) + " is registered");
}

const WorkflowSpec& WorkflowRegistry::latest(std::string_view key) const {
    const WorkflowSpec* found = nullptr;
    for (const WorkflowSpec& s : specs_) {
        if (s.key == key)
            found = &s;
    }
    if (found == nullptr)
        throw Error(ErrorCode::not_found, "no workflow " + quote(key) + " is registered");
    return *found;
}

std::vector<int> WorkflowRegistry::versions(std::string_view key) const {
    std::vector<int> out;
    for (const WorkflowSpec& s : specs_) {
        if (s.key == key)
            out.push_back(s.version);
    }
    return out;
}

std::vector<std::string> WorkflowRegistry::keys() const {
    std::vector<std::string> out;
    for (const WorkflowSpec& s : specs_) {
        if (out.empty() || out.back() != s.key)
            out.push_back(s.key);
    }
    return out;
}

}  // namespace gridgov
