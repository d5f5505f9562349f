// The workload of the fault sweeps (sqlite_fault_sweep_test.cpp,
// postgres_fault_sweep_test.cpp): one transaction of a session that inserts a few hundred
// students across several chunks, updates some persistent ones and removes others.
#pragma once

#include "sweep_findings.hpp"

namespace tabella::testing::sweep {

class workload {
  public:
    static constexpr std::size_t inserts = 300;

    /// Students that are not in the database yet.
    static std::vector<student> new_students(std::size_t n, const std::string& prefix) {
        std::vector<student> out;
        for (std::size_t i = 0; i < n; ++i)
            out.push_back(
                {std::nullopt, prefix + std::to_string(i), "l" + std::to_string(i),
                 i % 5 == 0 ? std::nullopt : std::optional<int>(static_cast<int>(i % 90))});
        return out;
    }

    /// Persistent objects of both kinds, for the constructor: every row of the table
    /// (`rows` of them) loaded, and 20 objects that an earlier commit of `s` inserted.
    /// Throws std::runtime_error when the load misses rows.
    static std::vector<student*> persistent_objects(session& s, std::size_t rows) {
        std::vector<student*> persistent = s.query<student>().order_by(&student::id).all();
        auto earlier = s.add_all(new_students(20, "earlier"));
        s.commit();
        for (auto& e : earlier) persistent.push_back(&e);
        if (persistent.size() != rows + 20)
            throw std::runtime_error("loaded " + std::to_string(persistent.size()) + " rows");
        return persistent;
    }

    /// `persistent`: every object of the session that has a committed row, `before`: the
    /// table as an independent connection reads it now. The transaction changes some
    /// objects, removes a run of them (whole pages of the table, so that the file shrinks
    /// on SQLite with auto_vacuum) and adds `inserts` new ones. Made at once, or with
    /// `split`: only the first half of the inserts now, the rest at second_part() (a
    /// transaction of two flushes).
    workload(session& s, std::vector<student*> persistent, rows_t before, bool split = false)
        : persistent_(std::move(persistent)), before_(std::move(before)) {
        const std::size_t n = persistent_.size();
        removed_.assign(n, false);
        for (std::size_t i = 0; i < n; ++i) {
            const student& p = *persistent_[i];
            committed_.push_back(row_of(p));
            row r = committed_.back();
            if (i >= n / 6 && i < n / 6 + n * 3 / 8) {
                removed_[i] = true;
                removed_ids_.insert(*p.id);
            } else if (i % 8 == 0) { // two column sets: lastname + age, and age alone
                std::get<1>(r) = "updated" + std::to_string(i);
                std::get<2>(r) = 300 + static_cast<int>(i);
            } else if (i % 8 == 4) {
                std::get<2>(r) =
                    std::get<2>(r) ? std::nullopt : std::optional<int>(400 + static_cast<int>(i));
            }
            intended_.push_back(r);
            if (!removed_[i]) kept_[*p.id] = r;
        }
        auto fresh = new_students(inserts, "new");
        if (split) {
            later_.assign(std::make_move_iterator(fresh.begin() + inserts / 2),
                          std::make_move_iterator(fresh.end()));
            fresh.resize(inserts / 2);
            add(s, std::move(fresh));
            first_part_ = inserted_.size();
        } else {
            add(s, std::move(fresh));
            first_part_ = inserted_.size();
            second_part(s);
        }
    }

    /// The rest of a split transaction: the changes, the removes, the other inserts.
    void second_part(session& s) {
        for (std::size_t i = 0; i < persistent_.size(); ++i) {
            student& p = *persistent_[i];
            if (removed_[i]) {
                s.remove(p);
                continue;
            }
            std::tie(p.name, p.lastname, p.age) = intended_[i];
        }
        if (!later_.empty()) add(s, std::move(later_));
        later_.clear();
    }
    [[nodiscard]] const rows_t& before() const { return before_; }

    /// The table holds none of the transaction: exactly what it held at the last commit.
    [[nodiscard]] bool holds_none(const rows_t& rows) const { return rows == before_; }

    /// The table holds all of the transaction: changed rows, no removed row, and rows with
    /// the values of the inserted objects (whatever their keys).
    [[nodiscard]] bool holds_all(const rows_t& rows) const {
        for (const auto& [id, r] : kept_) {
            const auto it = rows.find(id);
            if (it == rows.end() || it->second != r) return false;
        }
        std::multiset<row> extra, wanted;
        for (const auto& [id, r] : rows) {
            if (removed_ids_.contains(id)) return false;
            if (!kept_.contains(id)) extra.insert(r);
        }
        for (const auto* o : inserted_) wanted.insert(row_of(*o));
        return extra == wanted;
    }

    /// The intended final table, keyed by the keys the inserted objects now hold.
    [[nodiscard]] std::optional<rows_t> final_rows() const {
        rows_t out = kept_;
        for (const auto* o : inserted_) {
            if (!o->id || !out.emplace(*o->id, row_of(*o)).second) return std::nullopt;
        }
        return out;
    }

    /// What differs between `rows` and `want`, briefly.
    static std::string diff(const rows_t& rows, const rows_t& want) {
        std::ostringstream out;
        out << rows.size() << " rows, expected " << want.size();
        int shown = 0;
        for (const auto& [id, r] : want) {
            const auto it = rows.find(id);
            if (it == rows.end()) {
                if (shown++ < 3) out << "; missing " << id << " " << describe(r);
            } else if (it->second != r) {
                if (shown++ < 3)
                    out << "; row " << id << " is " << describe(it->second) << " not "
                        << describe(r);
            }
        }
        for (const auto& [id, r] : rows)
            if (!want.contains(id) && shown++ < 6) out << "; extra " << id << " " << describe(r);
        return out.str();
    }
    std::string summary(const rows_t& rows) const {
        return "before: " + diff(rows, before_) +
               (final_rows() ? " | final: " + diff(rows, *final_rows()) : std::string());
    }

    // ---- what the session must say (docs/session.md) ----

    /// commit() succeeded: inserted objects persistent with keys, removed ones detached,
    /// the others persistent with the values the transaction gave them.
    void expect_committed(const session& s, findings& f, int point, const std::string& ctx) const {
        expect_inserted(s, f, point, ctx, object_state::persistent, true);
        for (std::size_t i = 0; i < persistent_.size(); ++i) {
            const auto want = removed_[i] ? object_state::detached : object_state::persistent;
            if (!expect_state(s, f, point, ctx, i, want)) break;
        }
        expect_values(f, point, ctx, intended_, "the values the transaction gave it");
        f.expect(s.pending_count() == 0, "after a commit, nothing is pending" + ctx, point,
                 [&] { return std::to_string(s.pending_count()) + " pending"; });
    }

    /// A flush failed and nothing of the transaction is left (the database ended it, or
    /// that flush was all of it): every object back where it stood at the last commit,
    /// with the work still to do (inserted ones pending, keys cleared;
    /// removed ones marked again, so persistent; changed ones keep their new values).
    void expect_work_to_do(const session& s, findings& f, int point, const std::string& ctx) const {
        expect_inserted(s, f, point, ctx, object_state::pending, false);
        f.expect(s.pending_count() == inserted_.size(),
                 "objects inserted since the last commit are pending again" + ctx, point, [&] {
                     return "pending_count() = " + std::to_string(s.pending_count()) + ", " +
                            std::to_string(inserted_.size()) + " expected";
                 });
        for (std::size_t i = 0; i < persistent_.size(); ++i)
            if (!expect_state(s, f, point, ctx, i, object_state::persistent)) break;
        expect_values(f, point, ctx, intended_, "its unsent change (work still to do)");
    }

    /// The second flush of a split transaction failed and the database kept the
    /// transaction (SQLite rolls back only the statement on a full disk): that flush's
    /// SAVEPOINT is rolled back, the first flush's work stays in the open transaction.
    /// Objects inserted by the first flush are persistent with their keys, the rest of
    /// the work is still to do.
    void expect_transaction_kept(const session& s, findings& f, int point,
                                 const std::string& ctx) const {
        expect_inserted(s, f, point, ctx, object_state::persistent, true, 0, first_part_);
        expect_inserted(s, f, point, ctx, object_state::pending, false, first_part_);
        f.expect(s.pending_count() == inserted_.size() - first_part_,
                 "objects of the failed flush are pending again" + ctx, point, [&] {
                     return "pending_count() = " + std::to_string(s.pending_count()) + ", " +
                            std::to_string(inserted_.size() - first_part_) + " expected";
                 });
        for (std::size_t i = 0; i < persistent_.size(); ++i)
            if (!expect_state(s, f, point, ctx, i, object_state::persistent)) break;
        expect_values(f, point, ctx, intended_, "its unsent change (work still to do)");
    }

    /// The rollback rule (a failed COMMIT): inserted objects detached with keys cleared;
    /// every other object persistent, holding what its row holds (`db`, read by an
    /// independent connection: the committed values, reloaded where they had changed).
    /// A removed object whose row is gone (a COMMIT that reported an error although the
    /// database had committed) may also be detached, by the reload. `reloads`: false when
    /// the fault was still there while the rollback ran (persistent faults), so that it
    /// could not reload: then the objects it would reload (changed and removed ones) are
    /// not looked at.
    void expect_rolled_back(const session& s, findings& f, int point, const std::string& ctx,
                            const rows_t& db, bool reloads) const {
        expect_inserted(s, f, point, ctx, object_state::detached, false);
        f.expect(s.pending_count() == 0,
                 "after a rollback nothing added since the last commit is pending" + ctx, point,
                 [&] { return "pending_count() = " + std::to_string(s.pending_count()); });
        for (std::size_t i = 0; i < persistent_.size(); ++i) {
            const student& p = *persistent_[i];
            const bool changed = intended_[i] != committed_[i];
            if (!reloads && (changed || removed_[i])) continue;
            const auto it = db.find(*p.id);
            const auto got = s.state_of(p);
            if (it == db.end()) {
                if (!f.expect(got == object_state::persistent || got == object_state::detached,
                              "after a rollback, an object whose row is gone is persistent or "
                              "detached" +
                                  ctx,
                              point, [&] {
                                  return "object with key " + std::to_string(*p.id) + " is " +
                                         name_of(got);
                              }))
                    break;
                continue;
            }
            if (!f.expect(got == object_state::persistent,
                          std::string("after a rollback, ") +
                              (removed_[i] ? "removed"
                               : changed   ? "changed"
                                           : "untouched") +
                              " objects whose row exists are persistent" + ctx,
                          point, [&] {
                              return "object with key " + std::to_string(*p.id) + " is " +
                                     name_of(got);
                          }))
                break;
            if (!f.expect(row_of(p) == it->second,
                          "after a rollback, every persistent object holds what its row holds "
                          "(values reloaded)" +
                              ctx,
                          point, [&] {
                              return "object with key " + std::to_string(*p.id) + " holds " +
                                     describe(row_of(p)) + ", its row " + describe(it->second);
                          }))
                break;
        }
    }

  private:
    void add(session& s, std::vector<student>&& objs) {
        for (auto& o : s.add_all(std::move(objs))) inserted_.push_back(&o);
    }
    void expect_inserted(const session& s, findings& f, int point, const std::string& ctx,
                         object_state want, bool keyed, std::size_t from = 0,
                         std::size_t to = SIZE_MAX) const {
        to = std::min(to, inserted_.size());
        const std::string which = from == 0 && to == inserted_.size() ? "inserted objects"
                                  : from == 0 ? "objects inserted by the first flush"
                                              : "objects added after the first flush";
        for (std::size_t i = from; i < to; ++i) {
            const auto got = s.state_of(*inserted_[i]);
            if (!f.expect(got == want, which + " are " + name_of(want) + ctx, point, [&] {
                    return "new object " + std::to_string(i) + " is " + name_of(got);
                }))
                break;
        }
        for (std::size_t i = from; i < to; ++i) {
            const bool has = inserted_[i]->id.has_value();
            if (!f.expect(has == keyed,
                          which + (keyed ? " hold their generated keys" : " have no key") + ctx,
                          point, [&] {
                              return "new object " + std::to_string(i) + " has " +
                                     (has ? "key " + std::to_string(*inserted_[i]->id)
                                          : std::string("no key"));
                          }))
                break;
        }
    }
    bool expect_state(const session& s, findings& f, int point, const std::string& ctx,
                      std::size_t i, object_state want) const {
        const auto got = s.state_of(*persistent_[i]);
        return f.expect(got == want,
                        std::string(removed_[i] ? "removed" : "other") +
                            " persistent objects are " + name_of(want) + ctx,
                        point, [&] {
                            return "object with key " + std::to_string(*persistent_[i]->id) +
                                   " is " + name_of(got);
                        });
    }
    void expect_values(findings& f, int point, const std::string& ctx, const std::vector<row>& want,
                       const char* what) const {
        for (std::size_t i = 0; i < persistent_.size(); ++i) {
            const row got = row_of(*persistent_[i]);
            if (!f.expect(got == want[i],
                          std::string("every persistent object holds ") + what + ctx, point, [&] {
                              return "object with key " + std::to_string(*persistent_[i]->id) +
                                     " holds " + describe(got) + ", expected " + describe(want[i]);
                          }))
                break;
        }
    }

    std::vector<student*> persistent_;
    rows_t before_;
    std::vector<row> committed_; // per persistent object: its values at the last commit
    std::vector<row> intended_;  // per persistent object: its values in this transaction
    std::vector<bool> removed_;
    std::set<std::int64_t> removed_ids_;
    rows_t kept_; // rows of the persistent objects not removed, after the transaction
    std::vector<student*> inserted_;
    std::vector<student> later_; // the inserts of second_part()
    std::size_t first_part_ = 0;
};

/// What one attempt at the transaction ended in.

} // namespace tabella::testing::sweep
