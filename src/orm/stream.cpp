// ORM streams: a query's rows loaded into a buffer of objects the session does not keep.
#include "session_state.hpp"
#include "tabella/detail/batch_source.hpp"
#include "tabella/error.hpp"
#include "tabella/object_stream.hpp"
#include "tabella/query.hpp"

namespace tabella::detail {

batch_source_ptr open_object_stream(session_state& s, const entity_mapping& m,
                                    const query_spec& spec, std::size_t batch) {
    const std::string what = "query<" + m.struct_name + ">().stream()";
    if (batch == 0) throw usage_error(what + ": a batch holds at least one row, not 0");
    if (!spec.parent_loads.empty() || !spec.child_loads.empty())
        throw usage_error(what + ": load() and load_children() link the session's objects; "
                                 "streamed objects are not the session's (use all())");
    s.autoflush();
    // In the session's transaction, never one of the stream's own: a flush during the
    // stream would otherwise be a SAVEPOINT in it, committed only when the stream ends.
    s.begin();
    auto q = compile_query(s.conn(), m, spec);
    return batch_source_ptr(new batch_source(s.conn(), q.sql, std::move(q.params), batch));
}

namespace {

// Reads each row it is handed into the next object of a batch.
class batch_loader final : public row_sink {
  public:
    batch_loader(const entity_mapping& m, std::byte* first) noexcept : m_(m), next_(first) {}
    void row(std::span<const param_ref> cells) override {
        try {
            m_.load_view_row(next_, cells.data());
        } catch (const conversion_error& err) {
            throw conversion_error("streaming " + m_.table.name() + " rows into " + m_.struct_name +
                                   ": " + err.what());
        }
        next_ += m_.object_size;
        ++count_;
    }
    [[nodiscard]] std::size_t count() const noexcept { return count_; }

  private:
    const entity_mapping& m_;
    std::byte* next_;
    std::size_t count_ = 0;
};

} // namespace

std::size_t load_object_batch(batch_source& source, const entity_mapping& m, void* first) {
    // The driver's rows go straight into the objects, as all() loads them.
    batch_loader loader(m, static_cast<std::byte*>(first));
    if (!source.next_each(loader)) return 0;
    return loader.count();
}

} // namespace tabella::detail
