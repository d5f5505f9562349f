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

std::size_t load_object_batch(batch_source& source, const entity_mapping& m, void* first) {
    if (!source.next()) return 0;
    row_buffer& rows = source.rows();
    const std::size_t width = rows.columns.size();
    auto* objects = static_cast<std::byte*>(first);
    for (std::size_t i = 0; i < rows.row_count(); ++i) {
        try {
            m.load_row(objects + i * m.object_size, rows.cells.data() + i * width);
        } catch (const conversion_error& err) {
            throw conversion_error("streaming " + m.table.name() + " rows into " + m.struct_name +
                                   ": " + err.what());
        }
    }
    return rows.row_count();
}

} // namespace tabella::detail
