# Command-line behaviour: exit codes, messages naming file and position, and
# no output written (or previous output kept) when a run fails.
include("${CMAKE_CURRENT_LIST_DIR}/compare_dirs.cmake")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(failures 0)

# The names and SHA-256 of every file of out/ (temporaries included): a
# failed run must leave it exactly as it was.
function(out_digest var)
  file(GLOB names RELATIVE "${SRC}/out" "${SRC}/out/*" "${SRC}/out/.*")
  list(SORT names)
  set(d "")
  foreach(n IN LISTS names)
    file(SHA256 "${SRC}/out/${n}" h)
    string(APPEND d "${n}=${h};")
  endforeach()
  set(${var} "${d}" PARENT_SCOPE)
endfunction()

# expect(NAME RC STDERR_REGEX ARGS...): run the CLI in SRC and check; a
# failing run must write nothing on standard output and leave out/ alone.
function(expect name want_rc want_err)
  out_digest(before)
  execute_process(COMMAND "${CLI}" ${ARGN} WORKING_DIRECTORY "${SRC}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  out_digest(after)
  if(NOT want_rc EQUAL 0 AND (NOT before STREQUAL after OR NOT out STREQUAL ""))
    message(SEND_ERROR "${name}: a failed run changed out/ or wrote '${out}'")
  endif()
  if(NOT rc EQUAL want_rc)
    message(SEND_ERROR "${name}: exit ${rc}, expected ${want_rc}; stderr: ${err}")
  elseif(NOT err MATCHES "${want_err}")
    message(SEND_ERROR "${name}: stderr does not match '${want_err}': ${err}")
  else()
    message(STATUS "ok ${name}")
  endif()
endfunction()

expect(no-command 2 "which command" )
expect(unknown-command 2 "unknown command 'frobnicate'" frobnicate)
expect(unknown-option 2 "unknown option '--bogus'" build --bogus)
expect(missing-option-value 2 "--dict needs a directory" tag --dict)
expect(bad-seed 2 "--seed needs a non-negative integer, not 'x'" build --seed x)
expect(bad-sort 2 "unknown measure 'fame'" report --sort fame out/graph.graphml)
expect(bad-format 2 "unknown format 'xml'" report --format xml out/graph.graphml)
expect(report-no-file 2 "which GraphML file" report)
expect(report-missing 1 "nosuch.graphml: cannot open: No such file or directory" report nosuch.graphml)
expect(missing-corpus 1 "nosuch-dir: No such file or directory" tag nosuch-dir)
expect(missing-dict 1 "nosuch-dict: cannot read dictionary directory" tag --dict nosuch-dict corpus)
expect(bad-dict-json 1 "bad.json:3:18: invalid JSON" tag --dict "${DATA}/bad-json" corpus)
expect(empty-dict 1 "empty.json:1:1: no entities" build --dict "${DATA}/empty-dict")

# Every dictionary error names the file and the line:column of the value.
set(bad "${DATA}/bad-dict")
expect(dict-wrong-type 1 "types/d.json:2:25: \"label\" must be a string" build --dict "${bad}/types")
expect(dict-missing-field 1 "missing/d.json:2:2: missing member \"label\"" build --dict "${bad}/missing")
expect(dict-duplicate-member 1 "dup-member/d.json:2:39: duplicate member \"label\" in entity"
  build --dict "${bad}/dup-member")
expect(dict-duplicate-key 1 "dup-key/d.json:4:10: duplicate entity key \"kazakhstan\""
  build --dict "${bad}/dup-key")
expect(dict-empty-alias 1 "empty-alias/d.json:2:72: \"text\" is empty" build --dict "${bad}/empty-alias")
expect(dict-long-alias 1 "long-alias/d.json:2:72: alias longer than 200 bytes"
  build --dict "${bad}/long-alias")
expect(dict-bom 1 "bom/d.json:1:1: byte-order mark not allowed" build --dict "${bad}/bom")
expect(dict-errors-tag 1 "types/d.json:2:25: " tag --dict "${bad}/types" corpus)

# Limits (docs/limits.md), on dictionaries made here: nesting, aliases per
# entity, file size (a sparse file: refused from its size, nothing read).
string(REPEAT "[" 40 deep)
file(WRITE "${WORK_DIR}/deep/d.json" "{\"nergraph_dictionary\": 1,\n \"entities\": ${deep}")
expect(dict-too-deep 1 "deep/d.json:2:45: JSON nested deeper than 32 levels" build --dict "${WORK_DIR}/deep")
set(aliases "{\"text\": \"A0\", \"lang\": \"en\"}")
foreach(i RANGE 1 1000)
  string(APPEND aliases ", {\"text\": \"A${i}\", \"lang\": \"en\"}")
endforeach()
file(WRITE "${WORK_DIR}/many/d.json" "{\"nergraph_dictionary\": 1, \"entities\": [\n  {\"key\": \"a\", \"label\": \"A\", \"category\": \"state\",\n   \"aliases\": [${aliases}]}]}\n")
expect(dict-too-many-aliases 1 "many/d.json:3:15: more than 1000 aliases" build --dict "${WORK_DIR}/many")
file(MAKE_DIRECTORY "${WORK_DIR}/huge")
execute_process(COMMAND truncate -s 268435457 "${WORK_DIR}/huge/d.json" RESULT_VARIABLE rc)
if(rc EQUAL 0)
  expect(dict-too-large 1 "huge/d.json: larger than 268435456 bytes" build --dict "${WORK_DIR}/huge")
  file(REMOVE "${WORK_DIR}/huge/d.json")
endif()
expect(unknown-encoding 2 "unknown encoding 'NO-SUCH-CODE'" tag --encoding NO-SUCH-CODE corpus)
expect(help 0 "" build --help)
expect(version 0 "" --version)

# A failed build leaves the previous output as it was, with no temporaries.
set(prev "${WORK_DIR}/prev")
file(MAKE_DIRECTORY "${prev}")
file(WRITE "${prev}/graph.graphml" "previous run\n")
expect(failed-build-keeps-out 1 "bad.json" build --dict "${DATA}/bad-json" --out "${prev}")
file(READ "${prev}/graph.graphml" kept)
file(GLOB left RELATIVE "${prev}" "${prev}/*" "${prev}/.*")
if(NOT kept STREQUAL "previous run\n" OR NOT left STREQUAL "graph.graphml")
  message(SEND_ERROR "failed build changed the output directory: ${left}")
endif()

# An output directory that cannot exist (tests run as root: chmod proves nothing).
expect(unwritable-out 1 "cannot create directory" build --out "/proc/nergraph-cannot-exist/out")

# Standard input is a document named "-".
file(WRITE "${WORK_DIR}/stdin.txt" "China and Kazakhstan met.\n")
execute_process(COMMAND "${CLI}" tag - WORKING_DIRECTORY "${SRC}" INPUT_FILE "${WORK_DIR}/stdin.txt"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^{\"doc\": \"-\", \"start\": 0, \"end\": 5, \"type\": \"state\", \"entity\": \"china\"")
  message(SEND_ERROR "tag - : exit ${rc}: ${out} ${err}")
endif()

# build --check: 0 when out/ is current, 1 with a summary when it is not, and
# the stale directory is left as it was.
expect(check-current 0 "" build --check)
set(stale "${WORK_DIR}/stale")
file(COPY "${SRC}/out/" DESTINATION "${stale}")
file(APPEND "${stale}/report.txt" "an extra line\n")
file(REMOVE "${stale}/graph.dot")
execute_process(COMMAND "${CLI}" build --check --out "${stale}" WORKING_DIRECTORY "${SRC}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 1 OR NOT out MATCHES "graph.dot: missing" OR NOT out MATCHES "report.txt: differs: 0 lines added, 1 removed"
   OR EXISTS "${stale}/graph.dot")
  message(SEND_ERROR "build --check on a stale directory: exit ${rc}: ${out}")
endif()

# explain: real sentences of the seeds, with document and line.
execute_process(COMMAND "${CLI}" explain Kazakhstan China --limit 2 WORKING_DIRECTORY "${SRC}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^corpus/000_12478590fa157f0a.txt:[0-9]+: [^\n]*Kazakhstan[^\n]*China[^\n]*\ncorpus/[^\n]+\n# [0-9]+ sentences name both 'Kazakhstan' and 'China' \\(more with --limit 0\\)\n$")
  message(SEND_ERROR "explain Kazakhstan China: exit ${rc}: ${out} ${err}")
endif()
expect(explain-unknown 2 "'Atlantis' names no entity" explain Kazakhstan Atlantis)
expect(explain-same 2 "are the same entity \\(kazakhstan\\)" explain Kazakhstan Қазақстан)
expect(explain-one-name 2 "which two entities" explain Kazakhstan)

# --config must exist when named; nergraph.json is optional.
expect(missing-config 1 "nosuch.json: No such file or directory" tag --config nosuch.json corpus)

# Network options with bad values.
expect(bad-window 2 "unknown window 'chapter'" build --window chapter)
expect(bad-top-k 2 "--top-k needs a non-negative integer, not '-1'" build --top-k -1)
expect(bad-backbone 2 "--backbone needs a number from 0 to 1, not '2'" build --backbone 2)
expect(bad-categories 2 "--categories: unknown category in 'state,planet'" build --categories state,planet)
expect(bad-min-count 2 "--min-count needs a non-negative integer, not '1.5'" build --min-count 1.5)
expect(bad-report-category 2 "unknown category 'planet'" report --category planet out/graph.graphml)
expect(bad-depth 2 "--depth needs a positive integer, not '0'" report --ego kazakhstan --depth 0 out/graph.graphml)
expect(unknown-ego 2 "no actor with the key or label 'atlantis'" report --ego atlantis out/graph.graphml)

# Bad input that loses nothing: a binary file is skipped with a warning and
# the run goes on; an empty file is a document with a warning.
set(mixed "${DATA}/mixed")
execute_process(COMMAND "${CLI}" build --out "${WORK_DIR}/mixed-out" "${mixed}"
  WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc ERROR_VARIABLE err)
file(READ "${WORK_DIR}/mixed-out/mentions.jsonl" mentions)
if(NOT rc EQUAL 0 OR NOT err MATCHES "image.bin: a binary file, not text: skipped"
   OR NOT err MATCHES "empty.txt: empty document" OR NOT mentions MATCHES "\"entity\": \"kazakhstan\"")
  message(SEND_ERROR "binary and empty files: exit ${rc}: ${err}")
endif()

# Damaged text is read with a warning naming the byte; the run goes on and
# finds the names after the damage.
set(badc "${DATA}/bad-corpus")
function(expect_tag name want_err want_mentions)
  execute_process(COMMAND "${CLI}" tag ${ARGN} WORKING_DIRECTORY "${SRC}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REGEX MATCHALL "\n" lines "${out}")
  list(LENGTH lines n)
  if(NOT rc EQUAL 0 OR NOT err MATCHES "${want_err}" OR NOT n EQUAL want_mentions)
    message(SEND_ERROR "${name}: exit ${rc}, ${n} mentions (want ${want_mentions}): ${err}")
  else()
    message(STATUS "ok ${name}")
  endif()
endfunction()
expect_tag(invalid-utf8 "invalid-utf8/a.txt: byte 49: invalid UTF-8, 1 character replaced by U\\+FFFD"
  3 "${badc}/invalid-utf8")
expect_tag(nul-byte "nul/a.txt: byte 30: NUL byte in the text \\(1 in all\\)" 4 "${badc}/nul")
expect_tag(declared-utf8-is-cp1251
  "cp1251/a.txt: byte 0: invalid UTF-8, 15 characters replaced by U\\+FFFD" 0
  --encoding UTF-8 "${badc}/cp1251")
expect_tag(declared-cp1251-is-utf8
  "utf8/a.txt: byte 0: declared CP1251, but the bytes are UTF-8" 0 --encoding CP1251 "${badc}/utf8")
expect_tag(guessed-cp1251 "cp1251/a.txt: not UTF-8; decoded as CP1251" 2 "${badc}/cp1251")

# A corpus with nothing to read: an empty directory, one of binary files
# only, a missing path among good ones.
file(MAKE_DIRECTORY "${WORK_DIR}/empty-corpus" "${WORK_DIR}/binary-corpus")
file(COPY "${DATA}/mixed/image.bin" DESTINATION "${WORK_DIR}/binary-corpus")
expect(empty-corpus 1 "empty-corpus: no documents in this directory" build "${WORK_DIR}/empty-corpus")
expect(binary-corpus 1 "image.bin: a binary file, not text: skipped.*binary-corpus: no text documents: 1 binary file skipped"
  build "${WORK_DIR}/binary-corpus")
expect(binary-corpus-tag 1 "binary-corpus: no text documents" tag "${WORK_DIR}/binary-corpus")
expect(missing-among-paths 1 "nosuch.txt: No such file or directory" build corpus nosuch.txt)
# A failed build into a new directory removes the directory it made.
expect(binary-corpus-new-out 1 "no text documents" build --out "${WORK_DIR}/new-out" "${WORK_DIR}/binary-corpus")
if(EXISTS "${WORK_DIR}/new-out")
  message(SEND_ERROR "a failed build left the directory it created")
endif()

# More bad options.
expect(tag-unknown-option 2 "unknown option '--out'" tag --out x corpus)
expect(unknown-short-option 2 "unknown option '-x'" build -x)
expect(bad-threads-zero 2 "--threads needs a number from 1 to 256, not '0'" build --threads 0)
expect(bad-threads-word 2 "--threads needs a number from 1 to 256, not 'many'" build --threads many)
expect(bad-seed-overflow 2 "--seed needs a non-negative integer, not '99999999999999999999999'"
  build --seed 99999999999999999999999)
expect(bad-min-mentions 2 "--min-mentions needs a non-negative integer, not '-3'" build --min-mentions -3)
expect(bad-backbone-word 2 "--backbone needs a number from 0 to 1, not 'nan'" build --backbone nan)
expect(bad-limit 2 "--limit needs a non-negative integer, not '1x'" explain a b --limit 1x)

# The output directory may not hold input documents, nor be one.
expect(out-is-input 2 "the output directory corpus holds this input document" build --out corpus)
expect(out-is-parent-of-input 2 "the output directory . holds this input document" build --out .)
expect(out-is-input-file 1 "corpus/000_12478590fa157f0a.txt: not a directory"
  build --out corpus/000_12478590fa157f0a.txt)

# A full disk: the write fails, the message names the file and the cause, the
# previous output stays and no temporary is left.
if(SHIM)
  set(full "${WORK_DIR}/full")
  file(MAKE_DIRECTORY "${full}")
  file(WRITE "${full}/graph.graphml" "previous run\n")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env LD_PRELOAD=${SHIM} NG_SHIM_FAIL_FSYNC=1
    "${CLI}" build --out "${full}" WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  file(READ "${full}/graph.graphml" kept)
  file(GLOB left RELATIVE "${full}" "${full}/*" "${full}/.*")
  if(NOT rc EQUAL 1 OR NOT err MATCHES "full/mentions.jsonl: write failed: No space left on device"
     OR NOT kept STREQUAL "previous run\n" OR NOT left STREQUAL "graph.graphml")
    message(SEND_ERROR "disk full: exit ${rc}: ${err}; left: ${left}")
  endif()
else()
  message(STATUS "skipped: disk-full shim (sanitizer build)")
endif()

# dict check: the bundled dictionaries are clean; a shared alias and an
# entity that can never be mentioned are problems.
expect(dict-check-bundled 0 "" dict check)
execute_process(COMMAND "${CLI}" dict check "${DATA}/dict-shared" WORKING_DIRECTORY "${SRC}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 1
   OR NOT out MATCHES "alias \"GEORGIA\" of georgia-us is also \"Georgia\" of georgia-state: georgia-state wins every match"
   OR NOT out MATCHES "entity uyghur has only demonym aliases" OR NOT out MATCHES "2 problems")
  message(SEND_ERROR "dict check: exit ${rc}: ${out}")
endif()
expect(dict-check-bad 1 "bad.json:3:18: invalid JSON" dict check "${DATA}/bad-json")

# dict check: one fixture per kind of problem, each with its exact message
# and position (tests/data/dict-check/<kind>). What stops loading goes to
# stderr; what loads but is wrong is listed on stdout.
function(expect_check kind want_rc want_out want_err)
  execute_process(COMMAND "${CLI}" dict check "tests/data/dict-check/${kind}"
    WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL want_rc OR NOT out STREQUAL want_out OR NOT err STREQUAL want_err)
    message(SEND_ERROR "dict check ${kind}: exit ${rc}, stdout:\n${out}\nstderr:\n${err}")
  else()
    message(STATUS "ok dict-check-${kind}")
  endif()
endfunction()
set(D "tests/data/dict-check")
expect_check(duplicate-key 1 ""
  "nergraph: ${D}/duplicate-key/b.jsonl:2:9: duplicate entity key \"kazakhstan\"\n")
expect_check(shared-alias 1
  "${D}/shared-alias/d.json:6:25: alias \"TURKESTAN\" of turkestan-city is also \"Turkestan\" of turkestan: turkestan wins every match (no context rule decides)\n${D}/shared-alias: 2 entities, 3 aliases, 1 problem\n" "")
expect_check(context-decides 0 "${D}/context-decides: 2 entities, 2 aliases, 0 problems\n" "")
expect_check(normalises-to-nothing 1 ""
  "nergraph: ${D}/normalises-to-nothing/d.json:3:63: alias \"​­\" normalises to nothing\n")
expect_check(unknown-language 1 ""
  "nergraph: ${D}/unknown-language/d.csv:3:29: unknown language \"kz\" (en kk ru tr ug zh und)\n")
expect_check(unknown-category 1 ""
  "nergraph: ${D}/unknown-category/d.json:2:60: unknown category \"country\" (person state organization place)\n")
expect_check(overlapping-roles 1
  "${D}/overlapping-roles/d.json:7:14: role \"Chairman of the Security Council\" (2019 to now) overlaps the same role (1991-08-21 to 2022-01-05)\n${D}/overlapping-roles: 1 entities, 1 aliases, 1 problem\n" "")
expect_check(demonym-only 1
  "${D}/demonym-only/d.json:4:11: entity uyghurs has only demonym aliases: it is never mentioned\n${D}/demonym-only: 2 entities, 2 aliases, 1 problem\n" "")

# Spreadsheets and JSON Lines load beside JSON; a document's own acronyms
# ("... Freedom (UOF)") are mentions of the long form's entity from there on.
expect(dict-check-tables 0 "" dict check "${DATA}/dict-tables")
execute_process(COMMAND "${CLI}" tag --dict "${DATA}/dict-tables" "${DATA}/acronyms/doc.txt"
  WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
string(REGEX MATCHALL "\"entity\": \"[a-z]+\", \"label\": \"[^\"]*\", \"surface\": \"[^\"]*\"" got "${out}")
list(JOIN got "|" got)
set(want_tags "\"entity\": \"kazakhstan\", \"label\": \"Kazakhstan\", \"surface\": \"Kazakhstan\"|\"entity\": \"china\", \"label\": \"China\", \"surface\": \"China\"|\"entity\": \"china\", \"label\": \"China\", \"surface\": \"PRC\"|\"entity\": \"almaty\", \"label\": \"Almaty\", \"surface\": \"Almaty\"|\"entity\": \"uof\", \"label\": \"Uyghurstan Organization for Freedom\", \"surface\": \"Uyghurstan Organization for Freedom\"|\"entity\": \"uof\", \"label\": \"Uyghurstan Organization for Freedom\", \"surface\": \"UOF\"|\"entity\": \"russia\", \"label\": \"Russia\", \"surface\": \"Россия\"|\"entity\": \"uof\", \"label\": \"Uyghurstan Organization for Freedom\", \"surface\": \"UOF\"")
if(NOT rc EQUAL 0 OR NOT got STREQUAL want_tags)
  message(SEND_ERROR "tag with tables and acronyms: exit ${rc}: ${got}")
endif()

# dict coverage: found entities per language, then near misses.
execute_process(COMMAND "${CLI}" dict coverage --top 5 WORKING_DIRECTORY "${SRC}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\nkazakhstan\tkk\t[0-9]+\n" OR NOT out MATCHES "# near misses: [^\n]*\n[0-9]+\tUyghur\n")
  message(SEND_ERROR "dict coverage: exit ${rc}: ${out}")
endif()

# Coverage with context rules and learned acronyms: "Қытай тілі" is an alias
# a rule kept from matching (known, not a miss); UOF, learned in a.txt only,
# is missing in b.txt.
execute_process(COMMAND "${CLI}" dict coverage --dict tests/golden/dictionaries/dict
  tests/golden/dictionaries/input WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\nchina\tkk\t1\n.*\nuof\ten\t3\n# near misses: capitalised names no alias matched \\(top 4 of 4\\)\n1\tAtlanta\n1\tCIS\n1\tCentral Asia\n1\tThe UOF\n$")
  message(SEND_ERROR "dict coverage with rules: exit ${rc}: ${out}")
endif()

# diff: the same network is no change (exit 0); another shows what changed (exit 1).
expect(diff-same 0 "" diff out/graph.graphml out/graph.graphml)
execute_process(COMMAND "${CLI}" diff tests/golden/tiny/expected/graph.graphml
  tests/golden/tiny-document/expected/graph.graphml WORKING_DIRECTORY "${SRC}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 1 OR NOT out MATCHES "# actors 6 -> 2, links 9 -> 1\n"
   OR NOT out MATCHES "- actor kazakhstan\n" OR NOT out MATCHES "# actor: 0 added, 4 removed")
  message(SEND_ERROR "diff: exit ${rc}: ${out}")
endif()
expect(diff-one-file 2 "which two GraphML files" diff out/graph.graphml)

# Progress and --quiet. Off a terminal, standard error holds the warnings
# and nothing else: no progress line, no control characters.
execute_process(COMMAND "${CLI}" tag "${DATA}/mixed" WORKING_DIRECTORY "${SRC}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE loud ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT err MATCHES "^nergraph: warning: [^\n]*empty.txt: empty document\nnergraph: warning: [^\n]*image.bin: a binary file, not text: skipped\n$")
  message(SEND_ERROR "tag off a terminal: standard error is more than the warnings: ${err}")
endif()
# --quiet: the same output, the warnings counted in one line.
execute_process(COMMAND "${CLI}" tag --quiet "${DATA}/mixed" WORKING_DIRECTORY "${SRC}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE quiet ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT quiet STREQUAL loud
   OR NOT err STREQUAL "nergraph: 2 warnings (run without --quiet to see them)\n")
  message(SEND_ERROR "tag --quiet: exit ${rc}: ${err}")
endif()
expect(quiet-keeps-errors 1 "no text documents" build --quiet "${WORK_DIR}/binary-corpus")
# On a terminal (script(1) gives one), build draws its progress line on
# standard error and writes the same files; not with --quiet, nor in CI.
find_program(SCRIPT script)
if(SCRIPT)
  function(on_tty var)
    execute_process(COMMAND "${CMAKE_COMMAND}" -E env --unset=CI TERM=xterm ${ARGN}
      "${SCRIPT}" -qec "${CLI} build --threads 2 --out ${WORK_DIR}/tty-out" /dev/null
      WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc OUTPUT_VARIABLE tty)
    if(NOT rc EQUAL 0)
      message(SEND_ERROR "build on a terminal: exit ${rc}: ${tty}")
    endif()
    set(${var} "${tty}" PARENT_SCOPE)
  endfunction()
  on_tty(tty)
  if(NOT tty MATCHES "nergraph: 5/5 documents, [0-9.]+ MB in [0-9.]+ s \\([0-9.]+ MB/s\\)")
    message(SEND_ERROR "no progress line on a terminal: ${tty}")
  endif()
  compare_dirs("${SRC}/out" "${WORK_DIR}/tty-out" "a build on a terminal differs from out/")
  on_tty(tty CI=true)
  if(tty MATCHES "documents")
    message(SEND_ERROR "a progress line in CI: ${tty}")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env --unset=CI TERM=xterm
    "${SCRIPT}" -qec "${CLI} build --quiet --threads 2 --out ${WORK_DIR}/tty-out" /dev/null
    WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc OUTPUT_VARIABLE tty)
  if(NOT rc EQUAL 0 OR NOT tty STREQUAL "")
    message(SEND_ERROR "build --quiet on a terminal printed: ${tty}")
  endif()
else()
  message(STATUS "skipped: progress on a terminal (no script(1))")
endif()
