namespace Personium.Core.Errors;

/// <summary>Named factories for the catalogue entries the library raises, so call sites read as the spec.</summary>
public static class PersoniumErrors
{
    public static PersoniumError JsonParse() => PersoniumError.Of("PR400-OD-0001");
    public static PersoniumError QueryParse() => PersoniumError.Of("PR400-OD-0002");
    public static PersoniumError FilterParse() => PersoniumError.Of("PR400-OD-0003");
    public static PersoniumError EntityKeyParse() => PersoniumError.Of("PR400-OD-0004");
    public static PersoniumError FormatInvalid(string value) => PersoniumError.Of("PR400-OD-0005", value);
    public static PersoniumError FieldFormat(string field) => PersoniumError.Of("PR400-OD-0006", field);
    public static PersoniumError FieldInvalid(string detail) => PersoniumError.Of("PR400-OD-0007", detail);
    public static PersoniumError RequiredField(string field) => PersoniumError.Of("PR400-OD-0009", field);
    public static PersoniumError InlineCountInvalid(string value) => PersoniumError.Of("PR400-OD-0013", value);
    public static PersoniumError OrderByParse() => PersoniumError.Of("PR400-OD-0015");
    public static PersoniumError NullSingleKey() => PersoniumError.Of("PR400-OD-0016");
    public static PersoniumError SelectParse() => PersoniumError.Of("PR400-OD-0017");
    public static PersoniumError ExpandParse() => PersoniumError.Of("PR400-OD-0026");
    public static PersoniumError QueryValueInvalid(string option, string value) => PersoniumError.Of("PR400-OD-0029", option, value);
    public static PersoniumError QueryParseWithParam(string option) => PersoniumError.Of("PR400-OD-0036", option);
    public static PersoniumError UnsupportedOperator() => PersoniumError.Of("PR400-OD-0043");
    public static PersoniumError UnsupportedFunction() => PersoniumError.Of("PR400-OD-0044");
    public static PersoniumError UnknownProperty(string name) => PersoniumError.Of("PR400-OD-0045", name);
    public static PersoniumError OperandMismatch(string name) => PersoniumError.Of("PR400-OD-0046", name);
    public static PersoniumError OperandFormat(string name) => PersoniumError.Of("PR400-OD-0047", name);
    public static PersoniumError OperandUnparsable(string value) => PersoniumError.Of("PR400-OD-0048", value);
    public static PersoniumError NoSuchEntitySet() => PersoniumError.Of("PR404-OD-0001");
    public static PersoniumError NoSuchEntity() => PersoniumError.Of("PR404-OD-0002");
    public static PersoniumError NotAcceptable(string value) => PersoniumError.Of("PR406-OD-0001", value);
    public static PersoniumError HasRelatedData() => PersoniumError.Of("PR409-OD-0001");
    public static PersoniumError EntityAlreadyExists() => PersoniumError.Of("PR409-OD-0003");
    public static PersoniumError EtagMismatch() => PersoniumError.Of("PR412-OD-0002");
    public static PersoniumError UnsupportedMediaType(string value) => PersoniumError.Of("PR415-OD-0001", value);

    public static PersoniumError CellNotFound() => PersoniumError.Of("PR404-DV-0003");

    public static PersoniumError AuthorizationRequired() => PersoniumError.Of("PR401-AU-0001");
    public static PersoniumError InvalidAuthnScheme() => PersoniumError.Of("PR401-AU-0003");
    public static PersoniumError TokenParse() => PersoniumError.Of("PR401-AU-0006");
    public static PersoniumError UnitUserAccessRequired() => PersoniumError.Of("PR403-AU-0001");
    public static PersoniumError PrivilegeLacking() => PersoniumError.Of("PR403-AU-0002");
    public static PersoniumError NotYours() => PersoniumError.Of("PR403-AU-0003");

    public static PersoniumError RequestKeyInvalid() => PersoniumError.Of("PR400-EV-0002");

    public static PersoniumError UriNotRecognized() => PersoniumError.Of("PR404-MC-0001");
    public static PersoniumError MethodNotAllowed() => PersoniumError.Of("PR405-MC-0001");
    public static PersoniumError PreconditionFailed(string header) => PersoniumError.Of("PR412-MC-0001", header);
    public static PersoniumError PathBasedAccessNotAllowed() => PersoniumError.Of("PR400-MC-0002");
    public static PersoniumError InvalidUrlAuthority(string actual, string expected) => PersoniumError.Of("PR400-CM-0005", actual, expected);
    public static PersoniumError RequestHeaderInvalid(string header, string value) => PersoniumError.Of("PR400-OD-0041", header, value);

    public static PersoniumError Unknown(string id) => PersoniumError.Of("PR500-SV-9999", id);
    public static PersoniumError DataStoreUnknown() => PersoniumError.Of("PR500-SV-0002");
    public static PersoniumError DiskFull() => PersoniumError.Of("PR503-SV-0005");
    public static PersoniumError FileSystemInconsistency() => PersoniumError.Of("PR500-DV-0001");

    public static PersoniumError UnknownNavigationProperty(string name) => PersoniumError.Of("PR400-OD-0025", name);
    public static PersoniumError ExpandCountExceeded() => PersoniumError.Of("PR400-OD-0039");
    public static PersoniumError OrderByListProperty() => PersoniumError.Of("PR400-OD-0040");
}
