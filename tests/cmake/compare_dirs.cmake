# compare_dirs(WANT GOT MESSAGE): every file of directory WANT is in GOT with
# the same bytes; else an error "FILE: MESSAGE" with the start of the diff.
function(compare_dirs want got msg)
  file(GLOB files RELATIVE "${want}" "${want}/*")
  if(NOT files)
    message(SEND_ERROR "no files in ${want}")
  endif()
  foreach(f IN LISTS files)
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${want}/${f}" "${got}/${f}"
      RESULT_VARIABLE differ)
    if(differ)
      execute_process(COMMAND diff -u "${want}/${f}" "${got}/${f}" OUTPUT_VARIABLE d)
      string(SUBSTRING "${d}" 0 3000 d)
      message(SEND_ERROR "${f}: ${msg}\n${d}")
    endif()
  endforeach()
endfunction()
