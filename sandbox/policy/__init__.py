"""The language policy: what learner code may say (compile time) and touch (run time).

Modules: ``transformer`` (RestrictedPython's compile-time checks, tuned for tutorials), ``guards`` (the
run-time checks the compiled code calls), ``namespace`` (builtins, import hook, print collector) and
``imports`` (the import allow-list). ``errors`` holds the signals and the per-run journal.

How each outcome maps to a run status::

    SyntaxError / IndentationError / ValueError at parse  -> syntax   (error.type as raised, line)
    RecursionError while compiling (absurd nesting)       -> syntax
    CompileRefused (a transformer refusal)                -> denied   (error.type "PolicyError", line)
    BaseException
     +-- SandboxSignal          (not an Exception: ``except Exception`` lets it through)
     |    +-- PolicyDenied      -> denied; recorded in JOURNAL first, so a bare ``except:`` cannot hide it
     |    +-- OutputLimitReached-> output_limit; recorded in JOURNAL likewise
     +-- SystemExit, KeyboardInterrupt, GeneratorExit (raised by learner code, or exit()/quit())
     |                          -> error (type as raised)
     +-- MemoryError            -> memory ("Memory limit of N MiB reached")
     +-- Exception
          +-- RuntimeError containing "can't allocate memory" or "DefaultCPUAllocator" -> memory
          +-- anything else     -> error (type, message, line in the learner's code)
    a failure of the executor itself or of a lesson's setup code -> internal

A recorded denial wins over every other outcome, then a reached output limit, then the exception.
"""
