# Test registration helpers.
#
# Pure C++ units: one executable per tests/unit/test_*.cpp, run as one ctest
# entry. SystemC benches: one executable per tests/sc/test_*.cpp, and one ctest
# entry per BOOST_AUTO_TEST_CASE (run with --run_test=), because SystemC cannot
# elaborate twice in one process.

function(iommusim_unit_test src)
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE ${ARGN} Boost::unit_test_framework)
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK)
  add_test(NAME unit.${name} COMMAND ${name} --log_level=warning)
endfunction()

function(iommusim_sc_test src)
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE ${ARGN} Boost::unit_test_framework)
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK)
  file(STRINGS ${src} cases REGEX "^[ \t]*BOOST_(AUTO|FIXTURE)_TEST_CASE\\(")
  foreach(line IN LISTS cases)
    string(REGEX REPLACE "^[ \t]*BOOST_(AUTO|FIXTURE)_TEST_CASE\\([ \t]*([A-Za-z0-9_]+).*" "\\2" case "${line}")
    add_test(NAME sc.${name}.${case} COMMAND ${name} --run_test=${case} --log_level=warning)
  endforeach()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
endfunction()
