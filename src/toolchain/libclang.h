/*
 * libclang.h -- the libclang functions `wvm build` uses, loaded with
 * dlopen when a build first needs them (libclang_load), not linked: the
 * library and the LLVM it pulls in take 80 ms and 60 MB to map and
 * relocate, which every other wvm command would pay for nothing.
 *
 * Include this instead of <clang-c/Index.h>.  Each clang_NAME below is
 * a macro for the pointer loaded from the library, so the code calling
 * it reads as ordinary libclang code.  Call nothing before libclang_load
 * has returned true.
 */
#ifndef WVM_TOOLCHAIN_LIBCLANG_H
#define WVM_TOOLCHAIN_LIBCLANG_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stdio.h>

#define LIBCLANG_FUNCS(X) \
    X(clang_Cursor_getArgument) \
    X(clang_Cursor_getNumArguments) \
    X(clang_Cursor_getStorageClass) \
    X(clang_Cursor_isNull) \
    X(clang_Location_isFromMainFile) \
    X(clang_createIndex) \
    X(clang_defaultDiagnosticDisplayOptions) \
    X(clang_disposeDiagnostic) \
    X(clang_disposeIndex) \
    X(clang_disposeString) \
    X(clang_disposeTranslationUnit) \
    X(clang_formatDiagnostic) \
    X(clang_getArgType) \
    X(clang_getArrayElementType) \
    X(clang_getCString) \
    X(clang_getCanonicalType) \
    X(clang_getCursorKind) \
    X(clang_getCursorLinkage) \
    X(clang_getCursorLocation) \
    X(clang_getCursorReferenced) \
    X(clang_getCursorResultType) \
    X(clang_getCursorSemanticParent) \
    X(clang_getCursorSpelling) \
    X(clang_getCursorType) \
    X(clang_getDiagnostic) \
    X(clang_getDiagnosticSeverity) \
    X(clang_getExpansionLocation) \
    X(clang_getFileName) \
    X(clang_getIncludedFile) \
    X(clang_getNumArgTypes) \
    X(clang_getNumDiagnostics) \
    X(clang_getPointeeType) \
    X(clang_getResultType) \
    X(clang_getTranslationUnitCursor) \
    X(clang_getTypeDeclaration) \
    X(clang_getTypeSpelling) \
    X(clang_isConstQualifiedType) \
    X(clang_isCursorDefinition) \
    X(clang_isFunctionTypeVariadic) \
    X(clang_parseTranslationUnit2) \
    X(clang_visitChildren)

/* One pointer per function, of the function's own type. */
#define LIBCLANG_FIELD(name) __typeof__(name) *p_##name;
struct libclang_api {
    LIBCLANG_FUNCS(LIBCLANG_FIELD)
};
#undef LIBCLANG_FIELD
extern struct libclang_api libclang_api;

/* Loads the library once (thread-safe).  false, after saying why on
 * diag, when it is missing or lacks a function. */
bool libclang_load(FILE *diag);

#define clang_Cursor_getArgument (*libclang_api.p_clang_Cursor_getArgument)
#define clang_Cursor_getNumArguments (*libclang_api.p_clang_Cursor_getNumArguments)
#define clang_Cursor_getStorageClass (*libclang_api.p_clang_Cursor_getStorageClass)
#define clang_Cursor_isNull (*libclang_api.p_clang_Cursor_isNull)
#define clang_Location_isFromMainFile (*libclang_api.p_clang_Location_isFromMainFile)
#define clang_createIndex (*libclang_api.p_clang_createIndex)
#define clang_defaultDiagnosticDisplayOptions (*libclang_api.p_clang_defaultDiagnosticDisplayOptions)
#define clang_disposeDiagnostic (*libclang_api.p_clang_disposeDiagnostic)
#define clang_disposeIndex (*libclang_api.p_clang_disposeIndex)
#define clang_disposeString (*libclang_api.p_clang_disposeString)
#define clang_disposeTranslationUnit (*libclang_api.p_clang_disposeTranslationUnit)
#define clang_formatDiagnostic (*libclang_api.p_clang_formatDiagnostic)
#define clang_getArgType (*libclang_api.p_clang_getArgType)
#define clang_getArrayElementType (*libclang_api.p_clang_getArrayElementType)
#define clang_getCString (*libclang_api.p_clang_getCString)
#define clang_getCanonicalType (*libclang_api.p_clang_getCanonicalType)
#define clang_getCursorKind (*libclang_api.p_clang_getCursorKind)
#define clang_getCursorLinkage (*libclang_api.p_clang_getCursorLinkage)
#define clang_getCursorLocation (*libclang_api.p_clang_getCursorLocation)
#define clang_getCursorReferenced (*libclang_api.p_clang_getCursorReferenced)
#define clang_getCursorResultType (*libclang_api.p_clang_getCursorResultType)
#define clang_getCursorSemanticParent (*libclang_api.p_clang_getCursorSemanticParent)
#define clang_getCursorSpelling (*libclang_api.p_clang_getCursorSpelling)
#define clang_getCursorType (*libclang_api.p_clang_getCursorType)
#define clang_getDiagnostic (*libclang_api.p_clang_getDiagnostic)
#define clang_getDiagnosticSeverity (*libclang_api.p_clang_getDiagnosticSeverity)
#define clang_getExpansionLocation (*libclang_api.p_clang_getExpansionLocation)
#define clang_getFileName (*libclang_api.p_clang_getFileName)
#define clang_getIncludedFile (*libclang_api.p_clang_getIncludedFile)
#define clang_getNumArgTypes (*libclang_api.p_clang_getNumArgTypes)
#define clang_getNumDiagnostics (*libclang_api.p_clang_getNumDiagnostics)
#define clang_getPointeeType (*libclang_api.p_clang_getPointeeType)
#define clang_getResultType (*libclang_api.p_clang_getResultType)
#define clang_getTranslationUnitCursor (*libclang_api.p_clang_getTranslationUnitCursor)
#define clang_getTypeDeclaration (*libclang_api.p_clang_getTypeDeclaration)
#define clang_getTypeSpelling (*libclang_api.p_clang_getTypeSpelling)
#define clang_isConstQualifiedType (*libclang_api.p_clang_isConstQualifiedType)
#define clang_isCursorDefinition (*libclang_api.p_clang_isCursorDefinition)
#define clang_isFunctionTypeVariadic (*libclang_api.p_clang_isFunctionTypeVariadic)
#define clang_parseTranslationUnit2 (*libclang_api.p_clang_parseTranslationUnit2)
#define clang_visitChildren (*libclang_api.p_clang_visitChildren)

#endif
