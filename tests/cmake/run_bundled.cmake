# `nergraph build` on the bundled corpus and dictionaries, twice, under
# different locales, time zones and thread counts: both runs must be
# identical to each other and to the committed out/ (regenerate it with
# `build/nergraph build`).
include("${CMAKE_CURRENT_LIST_DIR}/compare_dirs.cmake")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
function(run_build name threads)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env ${ARGN} "${CLI}" build --threads ${threads}
    --out "${WORK_DIR}/${name}"
    WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run ${name} exited ${rc}: ${err}")
  endif()
endfunction()
run_build(a 1 LC_ALL=C TZ=UTC)
run_build(b 3 LC_ALL=ru_RU.UTF-8 LC_NUMERIC=ru_RU.UTF-8 TZ=Asia/Almaty)
compare_dirs("${WORK_DIR}/a" "${WORK_DIR}/b"
  "two runs differ (locale, time zone or threads leak into the output)")
compare_dirs("${SRC}/out" "${WORK_DIR}/a" "out/ is not what `nergraph build` writes; regenerate out/")
file(GLOB outputs "${WORK_DIR}/a/*")
list(LENGTH outputs n)
if(n LESS 4)
  message(FATAL_ERROR "expected 4 output files, got ${n}")
endif()
message(STATUS "${n} files identical across runs and to out/")
