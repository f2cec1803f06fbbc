build/tests/check_schema.o: tests/check_schema.c schema/codes.h \
 schema/rules.h common/date.h
schema/codes.h:
schema/rules.h:
common/date.h:
