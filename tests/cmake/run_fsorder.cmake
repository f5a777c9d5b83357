# File-system order does not reach the output: the bundled corpus (spread
# over nested directories) and dictionaries are copied twice, once creating
# directories and files in sorted order and once in reverse order, and the
# second copy is also built under a shim that lists every directory in
# reverse (SHIM, absent under sanitizers). Both builds must be identical,
# byte for byte.
include("${CMAKE_CURRENT_LIST_DIR}/compare_dirs.cmake")
file(REMOVE_RECURSE "${WORK_DIR}")

# The layout: every other document one directory deeper, so that the walk
# meets files and directories in one listing.
file(GLOB docs RELATIVE "${SRC}/corpus" "${SRC}/corpus/*")
list(SORT docs)
set(layout "")
set(i 0)
foreach(d IN LISTS docs)
  math(EXPR sub "${i} % 3")
  if(sub EQUAL 0)
    list(APPEND layout "corpus/${d}=corpus/${d}")
  else()
    list(APPEND layout "corpus/${d}=corpus/part-${sub}/${d}")
  endif()
  math(EXPR i "${i} + 1")
endforeach()
file(GLOB_RECURSE dicts RELATIVE "${SRC}" "${SRC}/dictionaries/*")
list(SORT dicts)
foreach(d IN LISTS dicts)
  list(APPEND layout "${d}=${d}")
endforeach()

# copy(DIR ORDER): create the layout's directories and files in that order
# (one file at a time, each directory just before its first file).
function(copy dir)
  foreach(entry IN LISTS ARGN)
    string(REPLACE "=" ";" pair "${entry}")
    list(GET pair 0 from)
    list(GET pair 1 to)
    get_filename_component(parent "${dir}/${to}" DIRECTORY)
    file(MAKE_DIRECTORY "${parent}")
    file(COPY_FILE "${SRC}/${from}" "${dir}/${to}")
  endforeach()
endfunction()
copy("${WORK_DIR}/sorted" ${layout})
set(reversed ${layout})
list(REVERSE reversed)
copy("${WORK_DIR}/reversed" ${reversed})

function(build dir)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env ${ARGN} "${CLI}" build --threads 2
    --out out corpus WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "build in ${dir} exited ${rc}: ${err}")
  endif()
endfunction()
build("${WORK_DIR}/sorted")
if(SHIM)
  build("${WORK_DIR}/reversed" LD_PRELOAD=${SHIM})
else()
  build("${WORK_DIR}/reversed")
  message(STATUS "skipped: the reversing readdir shim (sanitizer build)")
endif()

file(GLOB outputs "${WORK_DIR}/sorted/out/*")
list(LENGTH outputs n)
if(n LESS 10)
  message(FATAL_ERROR "expected at least 10 output files, got ${n}")
endif()
compare_dirs("${WORK_DIR}/sorted/out" "${WORK_DIR}/reversed/out" "the order of creation or listing changed the output")
message(STATUS "${n} files compared")
