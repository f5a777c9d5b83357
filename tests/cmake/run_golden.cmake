# Run the CLI for one golden case and compare every expected file byte for
# byte. CASE_DIR/args holds one argument per line (@OUT@ = the work dir); the
# command runs in CASE_DIR, so paths in the outputs are relative.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(STRINGS "${CASE_DIR}/args" args)
list(TRANSFORM args REPLACE "@OUT@" "${WORK_DIR}")
execute_process(COMMAND "${CLI}" ${args} WORKING_DIRECTORY "${CASE_DIR}"
  RESULT_VARIABLE rc OUTPUT_FILE "${WORK_DIR}/stdout" ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nergraph exited ${rc}: ${err}")
endif()
file(GLOB expected RELATIVE "${CASE_DIR}/expected" "${CASE_DIR}/expected/*")
if(NOT expected)
  message(FATAL_ERROR "no expected files in ${CASE_DIR}/expected")
endif()
foreach(f IN LISTS expected)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files
    "${CASE_DIR}/expected/${f}" "${WORK_DIR}/${f}" RESULT_VARIABLE differ)
  if(differ)
    execute_process(COMMAND diff -u "${CASE_DIR}/expected/${f}" "${WORK_DIR}/${f}")
    message(FATAL_ERROR "${f} differs from ${CASE_DIR}/expected/${f}")
  endif()
endforeach()
list(LENGTH expected n)
message(STATUS "${n} files identical")
