// Compiled into every target that links a shared tabella::postgres. An ordinary object
// that refers to the driver's anchor makes the linker keep libtabella_postgres as a
// needed library (a bare -u option does not count under --as-needed), so its static
// initializer registers the "postgresql" scheme.
extern "C" void tabella_postgres_driver_anchor();

namespace {
#if defined(__GNUC__)
[[maybe_unused]] __attribute__((used)) void (*const tabella_postgres_keep)() =
    &tabella_postgres_driver_anchor;
#endif
} // namespace
