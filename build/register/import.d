build/register/import.o: register/import.c
