namespace Personium.Core.Errors;

/// <summary>Named factories for the catalogue entries the library raises, so call sites read as the spec.</summary>
public static class PersoniumErrors
{
    /// <summary>PR400-OD-0001: the request body is not valid JSON (or not the JSON object the resource expects).</summary>
    public static PersoniumError JsonParse() => PersoniumError.Of("PR400-OD-0001");
    /// <summary>PR400-OD-0002: the OData query string cannot be parsed.</summary>
    public static PersoniumError QueryParse() => PersoniumError.Of("PR400-OD-0002");
    /// <summary>PR400-OD-0003: <c>$filter</c> cannot be parsed (bad syntax, or an operand the reference server rejects as a parse
    /// error).</summary>
    public static PersoniumError FilterParse() => PersoniumError.Of("PR400-OD-0003");
    /// <summary>PR400-OD-0004: the key predicate in the URL (<c>('name')</c>, <c>(Name='x',_Box.Name='y')</c>) cannot be parsed
    /// or does not match the entity type's key.</summary>
    public static PersoniumError EntityKeyParse() => PersoniumError.Of("PR400-OD-0004");
    /// <summary>PR400-OD-0005: <c>$format</c> is neither <c>json</c> nor <c>atom</c>; <paramref name="value"/> is the value
    /// sent.</summary>
    public static PersoniumError FormatInvalid(string value) => PersoniumError.Of("PR400-OD-0005", value);
    /// <summary>PR400-OD-0006: the body's value for <paramref name="field"/> has the wrong type or breaks the field's format rule
    /// (length, pattern, range).</summary>
    public static PersoniumError FieldFormat(string field) => PersoniumError.Of("PR400-OD-0006", field);
    /// <summary>PR400-OD-0007: the body is unacceptable for the reason in <paramref name="detail"/> (an unknown property, a
    /// reserved <c>__</c> name, …); the message is the detail itself.</summary>
    public static PersoniumError FieldInvalid(string detail) => PersoniumError.Of("PR400-OD-0007", detail);
    /// <summary>PR400-OD-0009: the body lacks the mandatory property <paramref name="field"/>.</summary>
    public static PersoniumError RequiredField(string field) => PersoniumError.Of("PR400-OD-0009", field);
    /// <summary>PR400-OD-0013: <c>$inlinecount</c> is neither <c>allpages</c> nor <c>none</c>; <paramref name="value"/> is the
    /// value sent.</summary>
    public static PersoniumError InlineCountInvalid(string value) => PersoniumError.Of("PR400-OD-0013", value);
    /// <summary>PR400-OD-0015: <c>$orderby</c> cannot be parsed or names something that cannot be sorted on.</summary>
    public static PersoniumError OrderByParse() => PersoniumError.Of("PR400-OD-0015");
    /// <summary>PR400-OD-0016: the body sets the single key property of the entity type to null.</summary>
    public static PersoniumError NullSingleKey() => PersoniumError.Of("PR400-OD-0016");
    /// <summary>PR400-OD-0017: <c>$select</c> cannot be parsed or names an unknown property.</summary>
    public static PersoniumError SelectParse() => PersoniumError.Of("PR400-OD-0017");
    /// <summary>PR400-OD-0026: <c>$expand</c> cannot be parsed.</summary>
    public static PersoniumError ExpandParse() => PersoniumError.Of("PR400-OD-0026");
    /// <summary>PR400-OD-0029: query option <paramref name="option"/> has the unacceptable value <paramref name="value"/> (e.g. a
    /// negative <c>$top</c>, a <c>$skip</c> over the limit).</summary>
    public static PersoniumError QueryValueInvalid(string option, string value) => PersoniumError.Of("PR400-OD-0029", option, value);
    /// <summary>PR400-OD-0036: query option <paramref name="option"/> cannot be parsed (e.g. <c>$top</c> that is not a
    /// number).</summary>
    public static PersoniumError QueryParseWithParam(string option) => PersoniumError.Of("PR400-OD-0036", option);
    /// <summary>PR400-OD-0043: <c>$filter</c> uses an operator Personium does not support (arithmetic, <c>not</c>, <c>has</c>,
    /// …).</summary>
    public static PersoniumError UnsupportedOperator() => PersoniumError.Of("PR400-OD-0043");
    /// <summary>PR400-OD-0044: <c>$filter</c> calls a function Personium does not support (only <c>startswith</c> and
    /// <c>substringof</c> are).</summary>
    public static PersoniumError UnsupportedFunction() => PersoniumError.Of("PR400-OD-0044");
    /// <summary>PR400-OD-0045: <c>$filter</c> or <c>$orderby</c> names <paramref name="name"/>, which the entity type does not
    /// have.</summary>
    public static PersoniumError UnknownProperty(string name) => PersoniumError.Of("PR400-OD-0045", name);
    /// <summary>PR400-OD-0046: the operand compared with property <paramref name="name"/> is of a type that does not match
    /// it.</summary>
    public static PersoniumError OperandMismatch(string name) => PersoniumError.Of("PR400-OD-0046", name);
    /// <summary>PR400-OD-0047: the operand compared with property <paramref name="name"/> has the right type but an invalid
    /// format or range.</summary>
    public static PersoniumError OperandFormat(string name) => PersoniumError.Of("PR400-OD-0047", name);
    /// <summary>PR400-OD-0048: the literal <paramref name="value"/> in <c>$filter</c> cannot be parsed as any operand.</summary>
    public static PersoniumError OperandUnparsable(string value) => PersoniumError.Of("PR400-OD-0048", value);
    /// <summary>PR404-OD-0001: the URL names an entity set (or navigation property) the service does not have.</summary>
    public static PersoniumError NoSuchEntitySet() => PersoniumError.Of("PR404-OD-0001");
    /// <summary>PR404-OD-0002: the entity addressed by key does not exist (or a <c>$links</c> target is missing).</summary>
    public static PersoniumError NoSuchEntity() => PersoniumError.Of("PR404-OD-0002");
    /// <summary>PR406-OD-0001: the <c>Accept</c> header <paramref name="value"/> allows no format the resource can answer
    /// in.</summary>
    public static PersoniumError NotAcceptable(string value) => PersoniumError.Of("PR406-OD-0001", value);
    /// <summary>PR409-OD-0001: the entity cannot be deleted while other data refers to it (links, child entities, box
    /// contents).</summary>
    public static PersoniumError HasRelatedData() => PersoniumError.Of("PR409-OD-0001");
    /// <summary>PR409-OD-0003: an entity with the same key (or unique property) already exists.</summary>
    public static PersoniumError EntityAlreadyExists() => PersoniumError.Of("PR409-OD-0003");
    /// <summary>PR412-OD-0002: <c>If-Match</c> does not match the entity's current ETag; nothing was changed.</summary>
    public static PersoniumError EtagMismatch() => PersoniumError.Of("PR412-OD-0002");
    /// <summary>PR415-OD-0001: the request's <c>Content-Type</c> <paramref name="value"/> is not one the resource
    /// accepts.</summary>
    public static PersoniumError UnsupportedMediaType(string value) => PersoniumError.Of("PR415-OD-0001", value);

    /// <summary>PR404-DV-0003: the cell named in the URL does not exist.</summary>
    public static PersoniumError CellNotFound() => PersoniumError.Of("PR404-DV-0003");

    /// <summary>PR401-AU-0001: the resource needs credentials and the request carried none.</summary>
    public static PersoniumError AuthorizationRequired() => PersoniumError.Of("PR401-AU-0001");
    /// <summary>PR401-AU-0003: the <c>Authorization</c> header uses a scheme other than <c>Bearer</c> or <c>Basic</c>.</summary>
    public static PersoniumError InvalidAuthnScheme() => PersoniumError.Of("PR401-AU-0003");
    /// <summary>PR401-AU-0006: the bearer token cannot be read: unknown format, not issued by or for this cell, or tampered
    /// with.</summary>
    public static PersoniumError TokenParse() => PersoniumError.Of("PR401-AU-0006");
    /// <summary>PR403-AU-0001: the operation is unit-level and the caller is not the unit master, a unit admin or a unit
    /// user.</summary>
    public static PersoniumError UnitUserAccessRequired() => PersoniumError.Of("PR403-AU-0001");
    /// <summary>PR403-AU-0002: the caller is authenticated but lacks the privilege (or token scope) the operation
    /// needs.</summary>
    public static PersoniumError PrivilegeLacking() => PersoniumError.Of("PR403-AU-0002");
    /// <summary>PR403-AU-0003: a unit user addressed a cell it does not own.</summary>
    public static PersoniumError NotYours() => PersoniumError.Of("PR403-AU-0003");

    /// <summary>PR400-EV-0002: <c>X-Personium-RequestKey</c> is longer than 128 characters or has characters outside
    /// <c>[A-Za-z0-9_-]</c>.</summary>
    public static PersoniumError RequestKeyInvalid() => PersoniumError.Of("PR400-EV-0002");

    /// <summary>PR404-MC-0001: the URL matches no resource of the unit.</summary>
    public static PersoniumError UriNotRecognized() => PersoniumError.Of("PR404-MC-0001");
    /// <summary>PR405-MC-0001: the resource exists but does not support the request's method.</summary>
    public static PersoniumError MethodNotAllowed() => PersoniumError.Of("PR405-MC-0001");
    /// <summary>PR412-MC-0001: the precondition header <paramref name="header"/> is missing or not satisfied (e.g. deleting a
    /// non-empty box or cell without <c>X-Personium-Recursive: true</c>); nothing was changed.</summary>
    public static PersoniumError PreconditionFailed(string header) => PersoniumError.Of("PR412-MC-0001", header);
    /// <summary>PR400-MC-0002: the unit serves cells on their own host names, so a path-based cell URL is refused.</summary>
    public static PersoniumError PathBasedAccessNotAllowed() => PersoniumError.Of("PR400-MC-0002");
    /// <summary>PR400-CM-0005: the request's host <paramref name="actual"/> is not the unit's configured authority <paramref
    /// name="expected"/>.</summary>
    public static PersoniumError InvalidUrlAuthority(string actual, string expected) => PersoniumError.Of("PR400-CM-0005", actual, expected);
    /// <summary>PR400-OD-0041: request header <paramref name="header"/> has the unacceptable value <paramref
    /// name="value"/>.</summary>
    public static PersoniumError RequestHeaderInvalid(string header, string value) => PersoniumError.Of("PR400-OD-0041", header, value);

    /// <summary>PR500-SV-9999: an unexpected failure; <paramref name="id"/> is the id that the log entry with the exception also
    /// carries.</summary>
    public static PersoniumError Unknown(string id) => PersoniumError.Of("PR500-SV-9999", id);
    /// <summary>PR500-SV-0002: the entity store failed in a way it did not classify.</summary>
    public static PersoniumError DataStoreUnknown() => PersoniumError.Of("PR500-SV-0002");
    /// <summary>PR503-SV-0005: a write was refused because the store's disk is (almost) full; nothing was kept and reads still
    /// work.</summary>
    public static PersoniumError DiskFull() => PersoniumError.Of("PR503-SV-0005");
    /// <summary>PR500-DV-0001: a file's blob is missing or shorter than its metadata says; answered before any byte of the body
    /// goes out.</summary>
    public static PersoniumError FileSystemInconsistency() => PersoniumError.Of("PR500-DV-0001");

    /// <summary>PR400-OD-0025: <c>$expand</c> names <paramref name="name"/>, which is not a navigation property of the entity
    /// type.</summary>
    public static PersoniumError UnknownNavigationProperty(string name) => PersoniumError.Of("PR400-OD-0025", name);
    /// <summary>PR400-OD-0039: <c>$expand</c> names more navigation properties than the limit (2 on a list, 10 on a single entity
    /// by default).</summary>
    public static PersoniumError ExpandCountExceeded() => PersoniumError.Of("PR400-OD-0039");
    /// <summary>PR400-OD-0040: <c>$orderby</c> names a property of list type, which cannot be sorted on.</summary>
    public static PersoniumError OrderByListProperty() => PersoniumError.Of("PR400-OD-0040");
}
